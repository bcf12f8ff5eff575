package io.tollgate.gateway.chain;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * {@link ChannelStateCache} over a {@link ChannelStateSource}: the first lookup of a channel reads the chain
 * (concurrent first lookups share one read); later lookups answer from memory at once. Once an entry is older
 * than {@code refreshAfter} a lookup still answers from memory and starts one background refresh, so epoch,
 * funds and close state are never older than about {@code refreshAfter} plus one read. A refused channel is
 * remembered too (its factory and code never change), up to {@link #MAX_REFUSED} of them; an address refused
 * because it had no contract yet only for {@code noContractRetry}, then it is read again (a channel whose first
 * request arrived before the node had its block, or whose address was guessed before it was created, is served
 * once it exists). An entry older than {@code maxAge} (a channel nobody
 * used for a while, or a chain that does not answer) is not answered from: the lookup waits for the refresh
 * ({@link #STALE_WAIT} at most), and fails (closed) when the chain does not answer.
 */
public final class RefreshingChannelStateCache implements ChannelStateCache {

    private static final Logger log = LoggerFactory.getLogger(RefreshingChannelStateCache.class);
    /** How long a lookup of a too-old entry waits for the chain before it fails closed. */
    static final Duration STALE_WAIT = Duration.ofSeconds(5);
    /**
     * At most this many refused channels are remembered (a few tens of MB); beyond it the oldest is forgotten and read
     * again if it comes back, so a flood of vouchers for made-up channel addresses cannot grow the heap.
     */
    static final int MAX_REFUSED = 100_000;

    /** What the chain answered, and when: one value, so a lookup that sees the answer sees when it was read. */
    private record Read(ChannelLookup lookup, Instant at) {}

    private final ChannelStateSource source;
    private final Clock clock;
    private final Duration maxAge;
    private final int maxRefused;
    private final AsyncLoadingCache<String, Read> entries;
    /**
     * Refused channels in the order they were first read, so the oldest can be forgotten (strictly the oldest:
     * Caffeine's size bound would pick by frequency, and would bound found channels too).
     */
    private final Queue<String> refused = new ConcurrentLinkedQueue<>();

    private final AtomicInteger refusedCount = new AtomicInteger();

    public RefreshingChannelStateCache(
            ChannelStateSource source, Clock clock, Duration refreshAfter, Duration maxAge, Duration noContractRetry) {
        this(source, clock, refreshAfter, maxAge, noContractRetry, MAX_REFUSED);
    }

    RefreshingChannelStateCache(
            ChannelStateSource source,
            Clock clock,
            Duration refreshAfter,
            Duration maxAge,
            Duration noContractRetry,
            int maxRefused) {
        this.source = source;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxRefused = maxRefused;
        this.entries = Caffeine.newBuilder()
                .ticker(() -> nanos(clock.instant()))
                // Caffeine refreshes once an entry is older than this; an entry exactly refreshAfter old is due
                .refreshAfterWrite(refreshAfter.minusNanos(1).isPositive() ? refreshAfter.minusNanos(1) : refreshAfter)
                // found and refused channels are kept (a found one too old is not answered from, see lookup);
                // an address without a contract only briefly
                .expireAfter(new Expiry<String, Read>() {
                    @Override
                    public long expireAfterCreate(String channel, Read read, long now) {
                        return read.lookup() instanceof ChannelLookup.Refused(var reason)
                                        && reason == ChannelLookup.Reason.NO_CONTRACT
                                ? noContractRetry.toNanos()
                                : Long.MAX_VALUE;
                    }

                    @Override
                    public long expireAfterUpdate(String channel, Read read, long now, long current) {
                        // a refusal is not refreshed: it keeps its time (as does a found channel a refresh refused)
                        return switch (read.lookup()) {
                            case ChannelLookup.Found found -> Long.MAX_VALUE;
                            case ChannelLookup.Refused(var reason)
                            when reason == ChannelLookup.Reason.NO_CONTRACT ->
                                Math.min(current, noContractRetry.toNanos());
                            case ChannelLookup.Refused refused -> current;
                        };
                    }

                    @Override
                    public long expireAfterRead(String channel, Read read, long now, long current) {
                        return current;
                    }
                })
                .buildAsync(new AsyncCacheLoader<String, Read>() {
                    @Override
                    public CompletableFuture<Read> asyncLoad(String channel, Executor executor) {
                        return read(channel).thenCompose(read -> {
                            if (!(read.lookup() instanceof ChannelLookup.Refused)) {
                                return CompletableFuture.completedFuture(read);
                            }
                            // not inside the cache's computation of this channel, which may forget another one
                            return CompletableFuture.supplyAsync(
                                    () -> {
                                        rememberRefused(channel);
                                        return read;
                                    },
                                    executor);
                        });
                    }

                    @Override
                    public CompletableFuture<Read> asyncReload(String channel, Read old, Executor executor) {
                        if (old.lookup() instanceof ChannelLookup.Refused) {
                            return CompletableFuture.completedFuture(old); // refusals are not refreshed
                        }
                        return read(channel).whenComplete((v, e) -> {
                            if (e != null) {
                                log.atWarn()
                                        .addKeyValue("channel", channel)
                                        .setCause(e)
                                        .log("chain state refresh failed");
                            }
                        });
                    }
                });
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private CompletableFuture<Read> read(String channel) {
        return source.read(channel).map(v -> new Read(v, clock.instant())).toFuture();
    }

    /** Forgets the oldest refused channel once more than {@code maxRefused} are remembered. */
    private void rememberRefused(String channel) {
        refused.add(channel);
        if (refusedCount.incrementAndGet() > maxRefused) {
            String oldest = refused.poll();
            if (oldest != null) {
                refusedCount.decrementAndGet();
                entries.synchronous()
                        .asMap()
                        .computeIfPresent(oldest, (k, r) -> r.lookup() instanceof ChannelLookup.Refused ? null : r);
            }
        }
    }

    /** How many channels are remembered (found or refused). */
    int size() {
        return entries.synchronous().asMap().size();
    }

    @Override
    public Mono<ChannelLookup> lookup(String channel) {
        Read known = entries.synchronous().policy().getIfPresentQuietly(channel);
        if (known != null
                && known.lookup() instanceof ChannelLookup.Found
                && Duration.between(known.at(), clock.instant()).compareTo(maxAge) > 0) {
            // too old to answer from: wait for the chain (a channel nobody used for a while), fail closed when
            // it does not answer
            return refresh(channel)
                    .timeout(STALE_WAIT)
                    .onErrorMap(e -> new IllegalStateException("chain state of " + channel + " is stale", e));
        }
        // what is known is answered at once; the get starts a refresh when one is due
        var reading = entries.get(channel);
        if (known != null) {
            return Mono.just(known.lookup());
        }
        return Mono.fromFuture(reading, true).map(Read::lookup);
    }

    @Override
    public Mono<ChannelLookup> fresh(String channel) {
        Read known = entries.synchronous().policy().getIfPresentQuietly(channel);
        if (known == null || !(known.lookup() instanceof ChannelLookup.Found)) {
            return lookup(channel);
        }
        return refresh(channel);
    }

    @Override
    public void invalidate(String channel) {
        entries.synchronous().invalidate(channel);
    }

    /** Starts a read of the channel unless one runs already; returns the read in flight. */
    private Mono<ChannelLookup> refresh(String channel) {
        return Mono.fromFuture(entries.synchronous().refresh(channel), true).map(Read::lookup);
    }
}
