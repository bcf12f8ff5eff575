package io.tollgate.gateway.chain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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

    private final ChannelStateSource source;
    private final Clock clock;
    private final Duration refreshAfter;
    private final Duration maxAge;
    private final int maxRefused;
    private final Duration noContractRetry;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Refused channels in the order they were first read, so the oldest can be forgotten. */
    private final java.util.Queue<String> refused = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final java.util.concurrent.atomic.AtomicInteger refusedCount =
            new java.util.concurrent.atomic.AtomicInteger();

    private final class Entry {
        final Mono<ChannelLookup> first;
        volatile ChannelLookup value;
        volatile Instant readAt;
        /** The refresh in flight, shared by everyone who asks meanwhile; null when none runs. */
        volatile Mono<ChannelLookup> refreshing;

        Entry(String channel) {
            first = source.read(channel)
                    .doOnNext(v -> {
                        // readAt before value: a lookup that sees the value must see when it was read
                        readAt = clock.instant();
                        value = v;
                        if (v instanceof ChannelLookup.Refused) {
                            rememberRefused(channel);
                        }
                    })
                    .doOnError(e -> entries.remove(channel, this))
                    .cache();
        }
    }

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
        this.noContractRetry = noContractRetry;
        this.clock = clock;
        this.refreshAfter = refreshAfter;
        this.maxAge = maxAge;
        this.maxRefused = maxRefused;
    }

    /** Forgets the oldest refused channel once more than {@code maxRefused} are remembered. */
    private void rememberRefused(String channel) {
        refused.add(channel);
        if (refusedCount.incrementAndGet() > maxRefused) {
            String oldest = refused.poll();
            if (oldest != null) {
                refusedCount.decrementAndGet();
                entries.computeIfPresent(oldest, (k, e) -> e.value instanceof ChannelLookup.Refused ? null : e);
            }
        }
    }

    /** How many channels are remembered (found or refused). */
    int size() {
        return entries.size();
    }

    @Override
    public Mono<ChannelLookup> lookup(String channel) {
        Entry entry = entries.computeIfAbsent(channel, Entry::new);
        ChannelLookup value = entry.value;
        if (value == null) {
            return entry.first;
        }
        Duration age = Duration.between(entry.readAt, clock.instant());
        if (value instanceof ChannelLookup.Refused(var reason)) {
            if (reason == ChannelLookup.Reason.NO_CONTRACT && age.compareTo(noContractRetry) >= 0) {
                // it may exist by now: forget the refusal, and read it again (concurrent lookups share the read)
                entries.remove(channel, entry);
                return lookup(channel);
            }
            return Mono.just(value);
        }
        if (age.compareTo(refreshAfter) < 0) {
            return Mono.just(value);
        }
        Mono<ChannelLookup> fresh = refresh(channel, entry);
        if (age.compareTo(maxAge) > 0) {
            // too old to answer from: wait for the chain (a channel nobody used for a while), fail closed when
            // it does not answer
            return fresh.timeout(STALE_WAIT)
                    .onErrorMap(e -> new IllegalStateException("chain state of " + channel + " is stale", e));
        }
        return Mono.just(value);
    }

    @Override
    public Mono<ChannelLookup> fresh(String channel) {
        Entry entry = entries.get(channel);
        if (entry == null || !(entry.value instanceof ChannelLookup.Found)) {
            return lookup(channel);
        }
        return refresh(channel, entry);
    }

    @Override
    public void invalidate(String channel) {
        entries.remove(channel);
    }

    /** Starts a background read of the channel unless one runs already; returns the read in flight. */
    private synchronized Mono<ChannelLookup> refresh(String channel, Entry entry) {
        var running = entry.refreshing;
        if (running != null) {
            return running;
        }
        var read = source.read(channel)
                .doOnNext(v -> {
                    entry.readAt = clock.instant();
                    entry.value = v;
                })
                .doFinally(s -> entry.refreshing = null)
                .cache();
        entry.refreshing = read;
        read.subscribe(
                v -> {},
                e -> log.atWarn().addKeyValue("channel", channel).setCause(e).log("chain state refresh failed"));
        return read;
    }
}
