package io.tollgate.gateway.payment;

import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.payment.PaymentCheck.Outcome;
import io.tollgate.gateway.usage.UsageObservation;
import io.tollgate.gateway.usage.UsageRecorder;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Headers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Forwards an accepted request and records its usage. The upstream gets {@code Tollgate-Origin} (kept when the
 * caller sent an address, else the payer) and none of the payment schemes' headers; the answer carries the
 * scheme's headers of an accepted payment.
 */
final class PaidForward {

    private final List<String> paymentHeaders;
    private final UsageRecorder usage;
    private final Clock clock;

    /** @param paymentHeaders the request headers of the payment schemes, kept from the upstream */
    PaidForward(List<String> paymentHeaders, UsageRecorder usage, Clock clock) {
        this.paymentHeaders = List.copyOf(paymentHeaders);
        this.usage = usage;
        this.clock = clock;
    }

    Mono<Void> forward(
            ServerWebExchange exchange, GatewayFilterChain chain, Listing listing, Outcome.Accepted accepted) {
        var response = exchange.getResponse();
        accepted.responseHeaders().forEach(response.getHeaders()::set);
        String origin = origin(exchange, accepted.payer());
        var request = exchange.getRequest()
                .mutate()
                .headers(h -> {
                    paymentHeaders.forEach(h::remove);
                    h.set(Headers.ORIGIN, origin);
                })
                .build();
        if (accepted.settlement() != PaymentCheck.Settlement.NONE) {
            response.beforeCommit(() -> {
                var status = response.getStatusCode();
                return accepted.settlement()
                        .settle(status == null ? 200 : status.value())
                        .doOnNext(headers -> headers.forEach(response.getHeaders()::set))
                        .then();
            });
        }
        long started = System.nanoTime();
        var at = clock.instant();
        return chain.filter(exchange.mutate().request(request).build()).doFinally(signal -> {
            var status = response.getStatusCode();
            usage.record(new UsageObservation(
                    at,
                    listing.id(),
                    accepted.payer(),
                    origin,
                    accepted.epoch(),
                    accepted.category(),
                    accepted.price(),
                    status == null ? 0 : status.value(),
                    Duration.ofNanos(System.nanoTime() - started)));
        });
    }

    /** A caller names an origin, it cannot forge one into anything but an address. */
    private static String origin(ServerWebExchange exchange, String payer) {
        String sent = exchange.getRequest().getHeaders().getFirst(Headers.ORIGIN);
        return Address.isAddress(sent) ? sent.toLowerCase(Locale.ROOT) : payer;
    }
}
