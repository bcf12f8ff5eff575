package io.tollgate.gateway.redemption;

import io.tollgate.gateway.ledger.LedgerKeys;
import io.tollgate.settings.schedule.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Which replica redeems a channel: a lease per channel in Redis ({@link LedgerKeys#redemptionLease}), held by
 * one owner token at a time for {@code ttl}. Each instance is one owner (a random token). A replica that dies
 * lets its leases expire; a live one keeps the lease between steps (it is not released after a step), so a
 * channel stays with one replica while it runs.
 */
public final class RedemptionLease {

    private static final Logger log = LoggerFactory.getLogger(RedemptionLease.class);

    /**
     * Takes the lease, or extends it when this owner holds it already: one atomic step, so two owners never both
     * hold it. Returns 1 when held by this owner.
     */
    static final RedisScript<Long> ACQUIRE = RedisScript.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """, Long.class);

    /** Deletes the lease when this owner holds it. Returns 1 when it did. */
    static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final String keyPrefix;
    private final Duration ttl;
    private final String owner = UUID.randomUUID().toString();

    /**
     * @param keyPrefix the ledger's key prefix: the lease sits beside the channel's ledger keys
     * @param ttl how long a lease lasts unless renewed
     */
    public RedemptionLease(ReactiveStringRedisTemplate redis, String keyPrefix, Duration ttl) {
        if (ttl.toMillis() < 3) {
            throw new IllegalArgumentException("a lease lasts at least 3 ms: " + ttl);
        }
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.ttl = ttl;
    }

    /** This holder's token, the value of every lease it holds. */
    String owner() {
        return owner;
    }

    /**
     * True when this owner holds the channel's lease for {@code ttl} from now: it was free (or expired) and is
     * taken, or this owner held it and it is extended. Renewing is acquiring again.
     */
    Mono<Boolean> acquire(String channel) {
        return run(ACQUIRE, channel, List.of(owner, Long.toString(ttl.toMillis())));
    }

    /** True when this owner held the channel's lease and gave it up; another owner's lease is left alone. */
    Mono<Boolean> release(String channel) {
        return run(RELEASE, channel, List.of(owner));
    }

    /**
     * Runs {@code work} when this owner holds the channel's lease, renewing it every third of {@code ttl} for as
     * long as the work runs (a transaction waiting for its receipt can take longer than a lease); {@code
     * elsewhere} when another owner holds it. A renewal that fails is logged and tried again a third later.
     */
    <T> Mono<T> holding(String channel, Supplier<Mono<T>> work, T elsewhere) {
        return acquire(channel).flatMap(mine -> {
            if (!mine) {
                return Mono.just(elsewhere);
            }
            return Mono.defer(() -> {
                Disposable renewing = Ticker.every(
                        ttl.dividedBy(3),
                        () -> acquire(channel)
                                .onErrorReturn(false)
                                .filter(held -> !held)
                                .doOnNext(lost -> log.atWarn()
                                        .addKeyValue("channel", channel)
                                        .log("redemption lease could not be extended during a step")),
                        e -> {});
                return work.get().doFinally(signal -> renewing.dispose());
            });
        });
    }

    private Mono<Boolean> run(RedisScript<Long> script, String channel, List<String> args) {
        return redis.execute(script, List.of(LedgerKeys.of(keyPrefix, channel).redemptionLease()), args)
                .next()
                .map(done -> done == 1L)
                .defaultIfEmpty(false);
    }
}
