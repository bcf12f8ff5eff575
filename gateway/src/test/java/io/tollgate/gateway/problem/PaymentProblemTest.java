package io.tollgate.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.Problem;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PaymentProblemTest {
    @Test
    void everyGatewayProblemOfTheCatalogueIsOnePaymentProblem() {
        assertThat(Arrays.stream(PaymentProblem.values()).map(PaymentProblem::problem))
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Problem.values())
                        .filter(p -> p.service() == Problem.Service.GATEWAY)
                        .toList());
    }

    @Test
    void aProblemAnswersWithItsCataloguesSlugTitleAndStatus() {
        for (PaymentProblem problem : PaymentProblem.values()) {
            assertThat(problem.slug()).isEqualTo(problem.problem().slug());
            assertThat(problem.title()).isEqualTo(problem.problem().title());
            assertThat(problem.status().value()).isEqualTo(problem.problem().status());
        }
        assertThat(PaymentProblem.NOT_FOUND.slug()).isEqualTo("not-found");
        assertThat(PaymentProblem.CHANNEL_NOT_SUBSCRIBED.status().value()).isEqualTo(402);
    }
}
