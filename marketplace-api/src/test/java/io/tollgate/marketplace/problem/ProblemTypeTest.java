package io.tollgate.marketplace.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.Problem;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {
    @Test
    void everyMarketplaceProblemOfTheCatalogueIsOneType() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::problem))
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Problem.values())
                        .filter(p -> p.service() == Problem.Service.MARKETPLACE)
                        .toList());
    }

    @Test
    void aTypeAnswersWithItsCataloguesSlugTitleAndStatus() {
        for (ProblemType type : ProblemType.values()) {
            assertThat(type.slug()).isEqualTo(type.problem().slug());
            assertThat(type.title()).isEqualTo(type.problem().title());
            assertThat(type.status().value()).isEqualTo(type.problem().status());
        }
        assertThat(ProblemType.CHANNEL_NOT_SUBSCRIBED.status().value()).isEqualTo(404);
        assertThat(ProblemType.NOT_FOUND.title()).isEqualTo("Not found");
    }
}
