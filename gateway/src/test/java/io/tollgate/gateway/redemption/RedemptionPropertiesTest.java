package io.tollgate.gateway.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RedemptionPropertiesTest {

    private static RedemptionProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("tollgate.gateway.redemption", RedemptionProperties.class);
    }

    @Test
    void defaultsAreTheMeasuredGasAndNoTimer() {
        var defaults = bind(Map.of());
        assertThat(defaults.exposureShareBps()).isEqualTo(5000);
        assertThat(defaults.worthRatio()).isEqualTo(20);
        assertThat(defaults.maxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.gas()).isEqualTo(RedemptionProperties.Gas.DEFAULTS);
        // release 1 on anvil, from receipts: 270 001 gas for k = 1, 448 432 for k = 4
        assertThat(defaults.gas().twoPhase(1)).isEqualTo(270_001);
        assertThat(defaults.gas().twoPhase(4)).isEqualTo(448_432);
        // release 2's claims: at most 1/20,000 of the value in gas, or after 3 days
        assertThat(defaults.claims()).isEqualTo(new RedemptionProperties.Claims(20_000, 10_000, Duration.ofDays(3)));
        var forTests = new RedemptionProperties(5000, Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(defaults.tick()).isEqualTo(forTests.tick());
        assertThat(defaults.lease()).isEqualTo(forTests.lease());
        assertThat(defaults.closeNoticeDivisor()).isEqualTo(forTests.closeNoticeDivisor());
    }

    @Test
    void everySettingHasItsName() {
        var set = bind(Map.of(
                "tollgate.gateway.redemption.worth-ratio", "50",
                "tollgate.gateway.redemption.max-age", "2h",
                "tollgate.gateway.redemption.gas.start-redemption-base", "1000",
                "tollgate.gateway.redemption.gas.start-redemption-per-category", "100",
                "tollgate.gateway.redemption.gas.finish-redemption-base", "2000",
                "tollgate.gateway.redemption.gas.finish-redemption-per-category", "200"));
        assertThat(set.worthRatio()).isEqualTo(50);
        assertThat(set.maxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(set.gas().twoPhase(3)).isEqualTo(1000 + 2000 + 3 * 300);
    }

    @Test
    void aMaxAgeOfZeroIsRefusedAtStartup() {
        assertThatThrownBy(() -> bind(Map.of("tollgate.gateway.redemption.max-age", "0s")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("max-age must be positive");
    }
}
