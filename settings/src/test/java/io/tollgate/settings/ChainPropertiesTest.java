package io.tollgate.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ChainPropertiesTest {

    private static ChainProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("tollgate.chain", ChainProperties.class);
    }

    @Test
    void theSameNamesBindInEveryServiceWithTheDefaultsOfALocalChain() {
        ChainProperties chain = bind(Map.of(
                "tollgate.chain.factories[0]", "0x00000000000000000000000000000000000000f1",
                "tollgate.chain.factories[1]", "0x00000000000000000000000000000000000000f2",
                "tollgate.chain.redemption-tolerance", "90s"));

        assertThat(chain.rpcUrl()).isEqualTo("http://127.0.0.1:8545");
        assertThat(chain.chainId()).isEqualTo(31337);
        assertThat(chain.redemptionTolerance()).isEqualTo(Duration.ofSeconds(90));
        assertThat(chain.closeDelay()).isEqualTo(Duration.ofMinutes(15));
        assertThat(chain.gasPriceCeiling()).isEqualTo(BigInteger.valueOf(100_000_000_000L));
        assertThat(chain.newChannelFactory()).contains("0x00000000000000000000000000000000000000f1");
    }

    @Test
    void withoutAFactoryNoChannelIsCreated() {
        assertThat(bind(Map.of()).newChannelFactory()).isEmpty();
    }

    @Test
    void aCloseDelayShorterThanOneRedemptionAndTheMarginIsRefusedWhereChannelsAreCreated() {
        ChainProperties chain =
                bind(Map.of("tollgate.chain.redemption-tolerance", "60s", "tollgate.chain.close-delay", "149s"));

        assertThatThrownBy(chain::requireSafeCloseDelay)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 150 s");
        bind(Map.of("tollgate.chain.redemption-tolerance", "60s", "tollgate.chain.close-delay", "150s"))
                .requireSafeCloseDelay();
    }

    @Test
    void aNonPositiveToleranceOrChainIdIsRefusedAtStartup() {
        assertThatThrownBy(() -> bind(Map.of("tollgate.chain.redemption-tolerance", "0s")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("redemption-tolerance (T_r) must be positive");
        assertThatThrownBy(() -> bind(Map.of("tollgate.chain.chain-id", "0")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("chain-id must be positive");
    }
}
