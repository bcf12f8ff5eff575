package io.tollgate.gateway.ledger;

import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * {@link VoucherLedger} as one Redis Lua script ({@code ledger.lua} on top of the {@code money.lua} helper),
 * run with EVALSHA through Lettuce (EVAL once when the server does not know it yet). All keys of a channel
 * carry the hash tag {@code {0x…channel}}.
 */
public final class RedisVoucherLedger implements VoucherLedger {

    static final RedisScript<String> SCRIPT = RedisScript.of(script("money.lua") + script("ledger.lua"), String.class);

    private final ReactiveStringRedisTemplate redis;
    private final LedgerProperties properties;
    private final Clock clock;

    public RedisVoucherLedger(ReactiveStringRedisTemplate redis, LedgerProperties properties, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Mono<LedgerOutcome> record(LedgerEntry entry) {
        var keys = LedgerKeys.of(properties.keyPrefix(), entry.channel());
        String pair = entry.epoch() + ":" + entry.category();
        return redis.execute(
                        SCRIPT,
                        List.of(keys.window(pair), keys.seen(pair), keys.exposure(), keys.best()),
                        List.of(
                                Long.toString(entry.epoch()),
                                Integer.toString(entry.category()),
                                Long.toString(entry.count()),
                                entry.price().toString(),
                                entry.unredeemedDeposit().toString(),
                                Long.toString(entry.oldestUnredeemedEpoch()),
                                Integer.toString(properties.windowSize()),
                                entry.encodedVoucher(),
                                Long.toString(clock.millis())))
                .single()
                .map(RedisVoucherLedger::parse);
    }

    static LedgerOutcome parse(String reply) {
        String[] parts = reply.split("\\|");
        return switch (parts[0]) {
            case "A" -> new LedgerOutcome.Accepted(Long.parseLong(parts[1]), Wei.parse(parts[2]), Wei.parse(parts[3]));
            case "R" -> new LedgerOutcome.Rejected(LedgerOutcome.Reason.valueOf(parts[1]));
            default -> throw new IllegalStateException("unexpected ledger reply: " + reply);
        };
    }

    static String script(String name) {
        try (var in = new ClassPathResource(name, RedisVoucherLedger.class).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
