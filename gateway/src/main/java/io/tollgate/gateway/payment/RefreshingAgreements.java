package io.tollgate.gateway.payment;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

    /** Confirmed or NotSubscribed: a failed call is not remembered. */
    private final AsyncLoadingCache<String, Agreement> entries;

    public RefreshingAgreements(AgreementSource source, Clock clock, Duration refreshAfter, Duration notSubscribedFor) {
        this.entries = Caffeine.newBuilder()
                .ticker(() -> nanos(clock.instant()))
                // Caffeine refreshes once an entry is older than this; an entry exactly refreshAfter old is due
                .refreshAfterWrite(refreshAfter.minusNanos(1).isPositive() ? refreshAfter.minusNanos(1) : refreshAfter)
                // confirmed terms are kept (and refreshed); anything else only notSubscribedFor
                .expireAfter(new Expiry<String, Agreement>() {
                    @Override
                    public long expireAfterCreate(String channel, Agreement agreement, long now) {
                        return agreement instanceof Agreement.Confirmed ? Long.MAX_VALUE : notSubscribedFor.toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String channel, Agreement agreement, long now, long current) {
                        // a kept "not subscribed" keeps its time; confirmed terms that a refresh ended, the full time
                        return agreement instanceof Agreement.Confirmed
                                ? Long.MAX_VALUE
                                : Math.min(current, notSubscribedFor.toNanos());
                    }

                    @Override
                    public long expireAfterRead(String channel, Agreement agreement, long now, long current) {
                        return current;
                    }
                })
                .buildAsync(new AsyncCacheLoader<String, Agreement>() {
                    @Override
                    public CompletableFuture<Agreement> asyncLoad(String channel, Executor executor) {
                        return source.read(channel).toFuture();
                    }

                    @Override
                    public CompletableFuture<Agreement> asyncReload(String channel, Agreement old, Executor executor) {
                        if (!(old instanceof Agreement.Confirmed)) {
                            return CompletableFuture.completedFuture(old); // asked again once it expires
                        }
                        return source.read(channel).toFuture().whenComplete((v, e) -> {
                            if (e != null) {
                                log.atWarn()
                                        .addKeyValue("channel", channel)
                                        .log("agreed terms refresh failed; serving the known terms: {}", e.toString());
                            }
                        });
                    }
                });
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Override
    public Mono<Agreement> lookup(String channel) {
        // what is known is answered at once; the get starts a refresh when one is due
        Agreement known = entries.synchronous().policy().getIfPresentQuietly(channel);
        var reading = entries.get(channel);
        if (known != null) {
            return Mono.just(known);
        }
        return Mono.fromFuture(reading, true).onErrorResume(e -> {
            log.atWarn()
                    .addKeyValue("channel", channel)
                    .log("the marketplace cannot confirm the channel: {}", e.toString());
            return Mono.just(new Agreement.Unavailable("the marketplace cannot be asked"));
        });
    }
}
