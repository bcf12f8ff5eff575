package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChannelTimesTest {

    @Test
    void theSmallestSafeCloseDelayIsTwoTolerancesAndThirtySeconds() {
        assertThat(ChannelTimes.minimumCloseDelay(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(50));
        assertThat(ChannelTimes.minimumCloseDelay(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void aCloseDelayBelowTheMinimumIsUnsafeForTheProvider() {
        assertThat(new ChannelTimes(Duration.ofSeconds(10), Duration.ofSeconds(50)).safeForProvider())
                .isTrue();
        assertThat(new ChannelTimes(Duration.ofSeconds(10), Duration.ofSeconds(49)).safeForProvider())
                .isFalse();
        assertThat(new ChannelTimes(Duration.ofSeconds(1), Duration.ofSeconds(3)).safeForProvider())
                .isFalse();
    }
}
