package io.tollgate.gateway.payment;

import io.tollgate.gateway.listing.ListingCatalog;
import io.tollgate.gateway.payment.PaymentCheck.Outcome;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.ProblemResponder;
import io.tollgate.protocol.Headers;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code Payment}: forwards a request only when it pays for its route. In route YAML
 * {@code - Payment=<listing>[, <category>]}. The filter reads the route's listing, asks the one {@link
 * PaymentCheck} (its {@link PaymentScheme}s: today the {@code Payment-Voucher}), then continues on the request's
 * event loop: an accepted request is forwarded by {@link PaidForward} (which records its usage), a refused one is
 * answered by the {@link ProblemResponder}. Every outcome is counted ({@link PaymentMetrics}).
 *
 * <p>Accepted requests reach the upstream with {@code Tollgate-Origin} (kept when the caller sent one, else the
 * paying channel) and without the voucher; the response carries {@code Payment-Accepted-Count} and
 * {@code Payment-Remaining-Credit}.
 */
public class PaymentGatewayFilterFactory extends AbstractGatewayFilterFactory<PaymentGatewayFilterFactory.Config> {

    public static final String ACCEPTED_COUNT = Headers.ACCEPTED_COUNT;
    public static final String REMAINING_CREDIT = Headers.REMAINING_CREDIT;
    public static final String ORIGIN = Headers.ORIGIN;
    /** Optional request header naming the caller's channel, so a 402 can give its active epoch. */
    public static final String CHANNEL_HINT = Headers.CHANNEL;

    private final ListingCatalog listings;
    private final PaymentCheck payments;
    private final PaidForward forward;
    private final ProblemResponder problems;
    private final PaymentMetrics metrics;
    private final RefusalHeaders refusalHeaders;

    PaymentGatewayFilterFactory(
            ListingCatalog listings,
            PaymentCheck payments,
            PaidForward forward,
            ProblemResponder problems,
            PaymentMetrics metrics,
            RefusalHeaders refusalHeaders) {
        super(Config.class);
        this.listings = listings;
        this.payments = payments;
        this.forward = forward;
        this.problems = problems;
        this.metrics = metrics;
        this.refusalHeaders = refusalHeaders;
    }

    /** Per-route configuration: the listing sold and the price category of the route (default 0). */
    public static class Config {
        private @Nullable String listing;
        private @Nullable Integer category;

        public @Nullable String getListing() {
            return listing;
        }

        public Config setListing(String listing) {
            this.listing = listing;
            return this;
        }

        public @Nullable Integer getCategory() {
            return category;
        }

        public Config setCategory(Integer category) {
            if (category < 0 || category > 15) {
                throw new IllegalArgumentException("category must be 0..15: " + category);
            }
            this.category = category;
            return this;
        }
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("listing", "category");
    }

    @Override
    public GatewayFilter apply(Config config) {
        if (config.getListing() == null || config.getListing().isBlank()) {
            throw new IllegalArgumentException("Payment needs a listing: - Payment=<listing>[, <category>]");
        }
        String listingId = config.getListing();
        int category = config.getCategory() == null ? 0 : config.getCategory();
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                return pay(exchange, chain, listingId, category);
            }

            @Override
            public String toString() {
                return "Payment[listing=" + listingId + ", category=" + category + "]";
            }
        };
    }

    private Mono<Void> pay(ServerWebExchange exchange, GatewayFilterChain chain, String listingId, int category) {
        var listing = listings.find(listingId);
        if (listing.isEmpty()) {
            return refuse(exchange, Outcome.Refused.of(PaymentProblem.LISTING_UNKNOWN, "listing " + listingId));
        }
        var request = new PaymentRequest(exchange.getRequest(), listing.get(), category);
        return payments.check(request)
                .flatMap(outcome -> outcome instanceof Outcome.Refused refused
                        ? refusalHeaders
                                .headers(request, refused)
                                .onErrorReturn(Map.of())
                                .defaultIfEmpty(Map.of())
                                .map(headers -> new Checked(outcome, headers))
                        : Mono.just(new Checked(outcome, Map.of())))
                .publishOn(RequestLoop.of(exchange))
                .flatMap(checked -> switch (checked.outcome()) {
                    case Outcome.Accepted accepted -> {
                        metrics.count("accepted");
                        yield forward.forward(exchange, chain, listing.get(), accepted);
                    }
                    case Outcome.Refused refused -> {
                        checked.headers().forEach(exchange.getResponse().getHeaders()::set);
                        yield refuse(exchange, refused);
                    }
                });
    }

    /** A check's outcome and the headers a 402 refusal carries beside its body. */
    private record Checked(Outcome outcome, Map<String, String> headers) {}

    private Mono<Void> refuse(ServerWebExchange exchange, Outcome.Refused refused) {
        metrics.count(refused.problem().slug());
        return problems.respond(exchange, refused.refusal());
    }
}
