package io.tollgate.gateway.payment.x402;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests against one {@link X402Gateway} with two replicas, and the checks of an x402 refusal they share. */
abstract class TwoReplicas {
    static X402Gateway tollgate;

    @BeforeAll
    static void start() {
        tollgate = X402Gateway.start(2);
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> problem(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        return X402Gateway.JSON.readValue(response.body(), Map.class);
    }

    static Map<String, Object> paymentRequired(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(402);
        return X402Gateway.decode(response.headers()
                .firstValue("PAYMENT-REQUIRED")
                .orElseThrow(() -> new AssertionError("no PAYMENT-REQUIRED")));
    }

    /**
     * The answer is a 402 whose problem has {@code slug} and whose PAYMENT-REQUIRED has {@code x402Error}; returns
     * the problem.
     */
    static Map<String, Object> refused(HttpResponse<String> response, String slug, String x402Error) {
        var required = paymentRequired(response);
        assertThat(required).containsEntry("x402Version", 2).containsEntry("error", x402Error);
        var problem = problem(response);
        assertThat(problem.get("type")).asString().endsWith("/" + slug);
        assertThat(problem).containsEntry("x402Error", x402Error);
        return problem;
    }
}
