package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.payment.PaymentCheck.Outcome;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.pricing.Wei;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Mono;

class PaymentCheckTest {

    /** A scheme of its own header that accepts everything it handles. */
    record AcceptingScheme(String header, String member) implements PaymentScheme {
        @Override
        public List<String> headers() {
            return List.of(header, header + "-Hint");
        }

        @Override
        public Mono<Outcome> check(PaymentRequest request) {
            return Mono.just(new Outcome.Accepted(member, 1, request.category(), Wei.of(7), new LinkedHashMap<>()));
        }

        @Override
        public Mono<Map<String, Object>> challenge(PaymentRequest request) {
            return Mono.just(Map.of(member, header));
        }
    }

    final PaymentCheck check =
            new PaymentCheck(List.of(new AcceptingScheme("First", "first"), new AcceptingScheme("Second", "second")));

    PaymentRequest request(MockServerHttpRequest.BaseBuilder<?> http) {
        return new PaymentRequest(http.build(), PaymentPolicyTest.configured(PaymentPolicyTest.OPERATOR, List.of()), 3);
    }

    @Test
    void theSchemeWhoseHeaderTheRequestCarriesChecksIt() {
        var outcome = check.check(request(MockServerHttpRequest.get("/").header("Second", "x")))
                .block();
        assertThat(outcome).isEqualTo(new Outcome.Accepted("second", 1, 3, Wei.of(7), new LinkedHashMap<>()));
    }

    @Test
    void aRequestWithoutAnyPaymentIsAskedForOneWithEverySchemesChallenge() {
        var outcome = check.check(request(MockServerHttpRequest.get("/"))).block();
        assertThat(outcome)
                .isEqualTo(new Outcome.Refused(
                        PaymentProblem.PAYMENT_REQUIRED,
                        "send a First or a Second",
                        Map.of("first", "First", "second", "Second")));
    }

    @Test
    void noSchemeHeaderReachesTheUpstream() {
        assertThat(check.headers()).containsExactly("First", "First-Hint", "Second", "Second-Hint");
    }
}
