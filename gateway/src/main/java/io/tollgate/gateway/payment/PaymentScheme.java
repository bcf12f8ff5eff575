package io.tollgate.gateway.payment;

import java.util.List;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * One way a request can pay (today the {@code Payment-Voucher} of a channel, {@link VoucherScheme}). A new scheme
 * is one class and one bean: the {@link PaymentCheck} asks every scheme bean, in bean order.
 */
public interface PaymentScheme {

    /**
     * The request headers this scheme reads, the one carrying its payment first; none of them reaches the
     * upstream.
     */
    List<String> headers();

    /** Whether the request carries a payment of this scheme (by default: the first of its {@link #headers()}). */
    default boolean handles(ServerHttpRequest request) {
        return request.getHeaders().containsHeader(headers().getFirst());
    }

    /**
     * Checks the payment of a request this scheme {@link #handles}: accepted (and recorded, so the request must
     * be served) or refused. Never an error signal: infrastructure failure is a refusal ({@code
     * payment-unavailable}), the gateway fails closed.
     */
    Mono<PaymentCheck.Outcome> check(PaymentRequest request);

    /** What a 402 tells a client about paying by this scheme, for a request that carries no payment at all. */
    Mono<Map<String, Object>> challenge(PaymentRequest request);
}
