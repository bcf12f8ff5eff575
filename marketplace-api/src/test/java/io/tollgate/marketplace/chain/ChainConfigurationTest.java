package io.tollgate.marketplace.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.settings.ChainProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ChainConfigurationTest {
    private final ApplicationContextRunner marketplace =
            new ApplicationContextRunner().withUserConfiguration(ChainConfiguration.class);

    @Test
    void theMarketplaceDoesNotStartWithACloseDelayTooShortForOneRedemption() {
        marketplace
                .withPropertyValues("tollgate.chain.redemption-tolerance=60s", "tollgate.chain.close-delay=149s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("close-delay (T_c) 149 s is unsafe")
                        .hasMessageContaining("at least 150 s"));
    }

    @Test
    void theMarketplaceStartsWithTheSameNamesAsEveryService() {
        marketplace
                .withPropertyValues(
                        "tollgate.chain.factories[0]=0x00000000000000000000000000000000000000f1",
                        "tollgate.chain.redemption-tolerance=60s",
                        "tollgate.chain.close-delay=150s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ChainProperties chain = context.getBean(ChainProperties.class);
                    assertThat(chain.newChannelFactory()).contains("0x00000000000000000000000000000000000000f1");
                });
    }
}
