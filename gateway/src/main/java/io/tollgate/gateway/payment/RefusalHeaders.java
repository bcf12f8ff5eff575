package io.tollgate.gateway.payment;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Headers a refusal carries beside its problem+json body (the x402 {@code PAYMENT-REQUIRED} of a 402). Never an
 * error signal: a header that cannot be built is left out.
 */
@FunctionalInterface
public interface RefusalHeaders {
    RefusalHeaders NONE = (request, refused) -> Mono.just(Map.of());

    Mono<Map<String, String>> headers(PaymentRequest request, PaymentCheck.Outcome.Refused refused);
}
