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
 * remembered too (its factory and code never change). A failed refresh keeps the old entry until it is
 * {@code maxAge} old; after that lookups fail (closed) until the chain answers again.
 */
public final class RefreshingChannelStateCache implements ChannelStateCache {

    private static final Logger log = LoggerFactory.getLogger(RefreshingChannelStateCache.class);

    private final ChannelStateSource source;
    private final Clock clock;
    private final Duration refreshAfter;
    private final Duration maxAge;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    private final class Entry {
        final Mono<ChannelLookup> first;
        volatile ChannelLookup value;
        volatile Instant readAt;
        volatile boolean refreshing;

        Entry(String channel) {
            first = source.read(channel)
                    .doOnNext(v -> {
                        value = v;
                        readAt = clock.instant();
                    })
                    .doOnError(e -> entries.remove(channel, this))
                    .cache();
        }
    }

    public RefreshingChannelStateCache(ChannelStateSource source, Clock clock, Duration refreshAfter, Duration maxAge) {
        this.source = source;
        this.clock = clock;
        this.refreshAfter = refreshAfter;
        this.maxAge = maxAge;
    }

    @Override
    public Mono<ChannelLookup> lookup(String channel) {
        Entry entry = entries.computeIfAbsent(channel, Entry::new);
        ChannelLookup value = entry.value;
        if (value == null) {
            return entry.first;
        }
        if (value instanceof ChannelLookup.Refused) {
            return Mono.just(value);
        }
        Duration age = Duration.between(entry.readAt, clock.instant());
        if (age.compareTo(refreshAfter) >= 0 && !entry.refreshing) {
            refresh(channel, entry);
        }
        if (age.compareTo(maxAge) > 0) {
            return Mono.error(new IllegalStateException("chain state of " + channel + " is stale"));
        }
        return Mono.just(value);
    }

    @Override
    public void invalidate(String channel) {
        entries.remove(channel);
    }

    private void refresh(String channel, Entry entry) {
        entry.refreshing = true;
        source.read(channel)
                .doFinally(s -> entry.refreshing = false)
                .subscribe(
                        v -> {
                            entry.value = v;
                            entry.readAt = clock.instant();
                        },
                        e -> log.atWarn()
                                .addKeyValue("channel", channel)
                                .setCause(e)
                                .log("chain state refresh failed"));
    }
}
