package io.tollgate.gateway.payment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * {@link Agreements} over an {@link AgreementSource}, cached like chain state so that the request path does
 * not ask the marketplace once a channel is known:
 *
 * <ul>
 *   <li>a confirmed channel is answered from memory; once its terms are older than {@code refreshAfter} a lookup
 *       starts one background refresh (a subscription that ended becomes "not subscribed"); while the marketplace
 *       cannot be reached the known terms keep being served;
 *   <li>"not subscribed" is remembered only {@code notSubscribedFor}, then the marketplace is asked again (a
 *       consumer who registers a channel after its first refused request is served seconds later);
 *   <li>a channel nothing is known of while the marketplace cannot be reached is {@link Agreement.Unavailable}.
 * </ul>
 *
 * Concurrent lookups of one channel share one marketplace call.
 */
public final class RefreshingAgreements implements Agreements {
    private static final Logger log = LoggerFactory.getLogger(RefreshingAgreements.class);

    private final AgreementSource source;
    private final Clock clock;
    private final Duration refreshAfter;
    private final Duration notSubscribedFor;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        /** Confirmed or NotSubscribed; null until the marketplace answered once. */
        volatile Agreement value;

        volatile Instant readAt;
        /** The call in flight, shared by everyone who asks meanwhile; null when none runs. */
        Mono<Agreement> reading;
    }

    public RefreshingAgreements(AgreementSource source, Clock clock, Duration refreshAfter, Duration notSubscribedFor) {
        this.source = source;
        this.clock = clock;
        this.refreshAfter = refreshAfter;
        this.notSubscribedFor = notSubscribedFor;
    }

    @Override
    public Mono<Agreement> lookup(String channel) {
        Entry entry = entries.computeIfAbsent(channel, c -> new Entry());
        Agreement value = entry.value;
        if (value == null) {
            return unavailableOnError(channel, read(channel, entry));
        }
        Duration age = Duration.between(entry.readAt, clock.instant());
        if (value instanceof Agreement.Confirmed) {
            if (age.compareTo(refreshAfter) >= 0) {
                read(channel, entry)
                        .subscribe(
                                v -> {},
                                e -> log.atWarn()
                                        .addKeyValue("channel", channel)
                                        .log("agreed terms refresh failed; serving the known terms: {}", e.toString()));
            }
            return Mono.just(value);
        }
        if (age.compareTo(notSubscribedFor) < 0) {
            return Mono.just(value);
        }
        return unavailableOnError(channel, read(channel, entry));
    }

    private static Mono<Agreement> unavailableOnError(String channel, Mono<Agreement> read) {
        return read.onErrorResume(e -> {
            log.atWarn()
                    .addKeyValue("channel", channel)
                    .log("the marketplace cannot confirm the channel: {}", e.toString());
            return Mono.just(new Agreement.Unavailable("the marketplace cannot be asked"));
        });
    }

    /** Asks the marketplace unless a call for the channel runs already; returns the call in flight. */
    private Mono<Agreement> read(String channel, Entry entry) {
        synchronized (entry) {
            if (entry.reading != null) {
                return entry.reading;
            }
            Mono<Agreement> reading = source.read(channel)
                    .doOnNext(v -> {
                        // readAt before value: a lookup that sees the value must see when it was read
                        entry.readAt = clock.instant();
                        entry.value = v;
                    })
                    .doFinally(s -> {
                        synchronized (entry) {
                            entry.reading = null;
                        }
                    })
                    .cache();
            entry.reading = reading;
            return reading;
        }
    }
}
