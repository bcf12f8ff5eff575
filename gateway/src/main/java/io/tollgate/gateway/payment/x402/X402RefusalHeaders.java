package io.tollgate.gateway.payment.x402;

import io.tollgate.gateway.payment.PaymentCheck;
import io.tollgate.gateway.payment.PaymentRequest;
import io.tollgate.gateway.payment.RefusalHeaders;
import io.tollgate.gateway.problem.PaymentProblem;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Every 402, and every refusal of a {@code PAYMENT-SIGNATURE}, carries {@code PAYMENT-REQUIRED}: the route's {@link X402Terms}; a refused payment's x402 {@code error}
 * is the refusal's {@link X402#ERROR_MEMBER} (an {@code exact} refusal's x402 code) or else its problem slug; a
 * request that paid nothing gets none.
 */
final class X402RefusalHeaders implements RefusalHeaders {
    private final X402Terms terms;
    private final ObjectMapper json;

    X402RefusalHeaders(X402Terms terms, ObjectMapper json) {
        this.terms = terms;
        this.json = json;
    }

    @Override
    public Mono<Map<String, String>> headers(PaymentRequest request, PaymentCheck.Outcome.Refused refused) {
        if (refused.problem().status().value() != 402
                && !request.http().getHeaders().containsHeader(X402.PAYMENT_SIGNATURE)) {
            return Mono.just(Map.of());
        }
        Optional<String> error = refused.problem() == PaymentProblem.PAYMENT_REQUIRED
                ? Optional.empty()
                : Optional.of(String.valueOf(refused.extensions()
                        .getOrDefault(X402.ERROR_MEMBER, refused.problem().slug())));
        return terms.paymentRequired(request, error)
                .map(required -> Map.of(X402.PAYMENT_REQUIRED, X402.encode(json, required)));
    }
}
