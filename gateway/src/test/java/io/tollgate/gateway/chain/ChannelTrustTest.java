package io.tollgate.gateway.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelTrustTest {

    private static final String FACTORY = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
    private static final String CODE = "0x" + "ab".repeat(32);

    private final ChannelTrust trust = new ChannelTrust(
            new io.tollgate.settings.ChainProperties(
                    "http://127.0.0.1:8545",
                    31337,
                    List.of(FACTORY),
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(15),
                    java.math.BigInteger.ONE),
            new GatewayChainProperties(
                    List.of(CODE),
                    Duration.ofSeconds(10),
                    1000,
                    Map.of(),
                    io.tollgate.settings.Secret.NONE,
                    Duration.ofSeconds(5)));

    @Test
    void trustsAChannelOfAKnownFactoryRunningKnownCodeWhateverTheCase() {
        assertThat(trust.refusal(FACTORY.toLowerCase(), CODE.toUpperCase().replace("0X", "0x")))
                .isEmpty();
    }

    @Test
    void refusesAnUnknownFactory() {
        assertThat(trust.refusal("0x" + "11".repeat(20), CODE)).contains(ChannelLookup.Reason.UNKNOWN_FACTORY);
    }

    @Test
    void refusesAnUnknownImplementation() {
        assertThat(trust.refusal(FACTORY, "0x" + "cd".repeat(32)))
                .contains(ChannelLookup.Reason.UNKNOWN_IMPLEMENTATION);
    }
}
