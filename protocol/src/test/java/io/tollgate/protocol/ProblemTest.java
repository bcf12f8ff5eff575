package io.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void slugsAreUniqueWithinEachService() {
        for (Problem.Service service : Problem.Service.values()) {
            var slugs = new HashSet<String>();
            for (Problem problem : Problem.values()) {
                if (problem.service() == service) {
                    assertThat(slugs.add(problem.slug()))
                            .as("%s %s", service, problem)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void onlyNotFoundAndChannelNotSubscribedAreAnsweredByBothServices() {
        Set<String> gateway = slugsOf(Problem.Service.GATEWAY);
        Set<String> marketplace = slugsOf(Problem.Service.MARKETPLACE);
        gateway.retainAll(marketplace);
        assertThat(gateway).containsExactlyInAnyOrder("not-found", "channel-not-subscribed");
    }

    @Test
    void slugsAreLowerCaseWordsAndStatusesAreErrorsWithTitles() {
        for (Problem problem : Problem.values()) {
            assertThat(problem.slug()).as(problem.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(problem.status()).as(problem.name()).isBetween(400, 599);
            assertThat(problem.title()).as(problem.name()).isNotBlank().doesNotEndWith(".");
            assertThat(problem.is(problem.slug())).isTrue();
        }
    }

    @Test
    void theSlugsClientsAndTheWebUiMatchOnKeepTheirStatus() {
        assertThat(Problem.PAYMENT_REQUIRED.slug()).isEqualTo("payment-required");
        assertThat(Problem.PAYMENT_REQUIRED.status()).isEqualTo(402);
        assertThat(Problem.CHANNEL_NOT_SUBSCRIBED.status()).isEqualTo(402);
        assertThat(Problem.SUBSCRIPTION_NOT_FOUND.status()).isEqualTo(404);
        assertThat(Arrays.stream(Problem.values())
                        .filter(p -> p.status() == 409)
                        .map(Problem::slug))
                .contains("epoch-expired", "epoch-unknown", "price-table-stale", "voucher-replayed");
        assertThat(Problem.PAYMENT_UNAVAILABLE.status()).isEqualTo(503);
    }

    private static Set<String> slugsOf(Problem.Service service) {
        return Arrays.stream(Problem.values())
                .filter(p -> p.service() == service)
                .map(Problem::slug)
                .collect(Collectors.toCollection(HashSet::new));
    }
}
