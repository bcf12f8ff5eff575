package io.tollgate.gateway.listing;

import io.tollgate.pricing.Wei;
import io.tollgate.protocol.GatewayListing;
import io.tollgate.settings.schedule.Ticker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Listings polled from the marketplace ({@code GET /api/gateway/routes}, the protocol's {@link GatewayListing}): the catalogue the {@code Payment}
 * filter prices with, and the routes Spring Cloud Gateway serves. Each route of listing {@code L} with path
 * {@code P} is served at {@code /L/P}, forwarded without the {@code /L} prefix to the listing's upstream and
 * paid in its category. When a poll changes anything the routes are refreshed: a new listing is routable
 * without a restart. A failed poll keeps the last good listings. A channel is served on a marketplace listing only
 * as a verified active subscription of it ({@link Listing.Admission.Subscribed}, terms per channel from {@code
 * payment.Agreements}); a listing sent without operator, token or channel times is not sold.
 */
public final class MarketplaceListings
        implements ListingCatalog,
                RouteDefinitionLocator,
                SmartLifecycle,
                io.tollgate.gateway.upstream.UpstreamSecretSource {
    private static final Logger log = LoggerFactory.getLogger(MarketplaceListings.class);

    private record Snapshot(
            List<GatewayListing> entries, Map<String, Listing> listings, List<RouteDefinition> routes) {}

    private final WebClient web;
    private final MarketplaceProperties properties;
    private final String factory;
    private final ApplicationEventPublisher events;
    private volatile Snapshot current = new Snapshot(List.of(), Map.of(), List.of());
    private volatile Disposable polling;

    public MarketplaceListings(
            WebClient.Builder web, MarketplaceProperties properties, String factory, ApplicationEventPublisher events) {
        this.web = MarketplaceProperties.authorized(web, properties).build();
        this.properties = properties;
        this.factory = factory.toLowerCase(Locale.ROOT);
        this.events = events;
    }

    @Override
    public Optional<Listing> find(String listingId) {
        return Optional.ofNullable(current.listings().get(listingId));
    }

    @Override
    public Optional<String> upstreamSecret(String listingId) {
        return current.entries().stream()
                .filter(e -> e.listing().equals(listingId))
                .map(GatewayListing::upstreamSecret)
                .filter(s -> s != null && !s.isBlank())
                .findFirst();
    }

    @Override
    public Flux<RouteDefinition> getRouteDefinitions() {
        return Flux.fromIterable(current.routes());
    }

    /** One poll: fetches, and applies what changed. */
    Mono<Void> poll() {
        return web.get()
                .uri("/api/gateway/routes")
                .retrieve()
                .bodyToMono(new ParameterizedTypeReference<List<GatewayListing>>() {})
                .timeout(Duration.ofSeconds(5))
                .doOnNext(this::apply)
                .doOnError(e -> log.atWarn()
                        .addKeyValue("marketplace", properties.url())
                        .log("listing poll failed; keeping the last listings: {}", e.toString()))
                .onErrorComplete()
                .then();
    }

    private void apply(List<GatewayListing> entries) {
        if (entries.equals(current.entries())) {
            return;
        }
        Map<String, Listing> listings = new LinkedHashMap<>();
        List<RouteDefinition> routes = new ArrayList<>();
        for (GatewayListing entry : entries) {
            var missing = entry.incomplete();
            if (missing.isPresent()) {
                log.atWarn()
                        .addKeyValue("listing", entry.listing())
                        .log("the marketplace sent listing {} without {}: not sold", entry.listing(), missing.get());
                continue;
            }
            listings.put(
                    entry.listing(),
                    new Listing(
                            entry.listing(),
                            entry.provider().toLowerCase(Locale.ROOT),
                            factory,
                            URI.create(entry.subscribeUrl()),
                            entry.prices().stream().map(Wei::parse).toList(),
                            entry.operator(),
                            entry.token(),
                            entry.unit(),
                            new Listing.Admission.Subscribed(
                                    Duration.ofSeconds(entry.redeemWindowSeconds()),
                                    Duration.ofSeconds(entry.closeDelaySeconds())),
                            entry.walkInPrices() == null
                                    ? List.of()
                                    : entry.walkInPrices().stream()
                                            .map(Wei::parse)
                                            .toList()));
            for (int i = 0; i < entry.routes().size(); i++) {
                routes.add(route(entry, i));
            }
        }
        current = new Snapshot(List.copyOf(entries), Map.copyOf(listings), List.copyOf(routes));
        log.atInfo().addKeyValue("listings", listings.size()).log("listings from the marketplace changed");
        events.publishEvent(new RefreshRoutesEvent(this));
    }

    private static RouteDefinition route(GatewayListing entry, int index) {
        GatewayListing.Route route = entry.routes().get(index);
        var definition = new RouteDefinition();
        definition.setId("marketplace-" + entry.listing() + "-" + index);
        definition.setUri(URI.create(entry.upstreamUrl()));
        var predicates = new ArrayList<PredicateDefinition>();
        String path = route.path().startsWith("/") ? route.path() : "/" + route.path();
        predicates.add(new PredicateDefinition("Path=/" + entry.listing() + path));
        if (!"*".equals(route.method())) {
            predicates.add(new PredicateDefinition("Method=" + route.method()));
        }
        definition.setPredicates(predicates);
        definition.setFilters(List.of(
                new FilterDefinition("Payment=" + entry.listing() + "," + route.category()),
                new FilterDefinition("StripPrefix=1"),
                new FilterDefinition("UpstreamSecret=" + entry.listing())));
        return definition;
    }

    @Override
    public void start() {
        // a failed poll is logged by poll() itself and keeps the last listings
        polling = Ticker.every(Duration.ZERO, properties.pollInterval(), this::poll, e -> {});
    }

    @Override
    public void stop() {
        if (polling != null) {
            polling.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return polling != null && !polling.isDisposed();
    }
}
