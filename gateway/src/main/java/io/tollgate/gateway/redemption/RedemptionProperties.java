package io.tollgate.gateway.redemption;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When the gateway redeems.
 *
 * @param exposureShareBps redeem once the active epoch's exposure reaches this share of the unredeemed deposit
 * @param interval redeem at least this often while there is exposure
 * @param tick how often channels are examined
 * @param lease how long one replica holds a channel's redemption lease in Redis
 * @param closeNoticeDivisor k: the scheduler reads each channel's close state from the chain again at least
 *     every T_c/k (the channel's own T_c), so a close request is noticed within T_c/k plus one tick
 */
@Validated
@ConfigurationProperties("tollgate.gateway.redemption")
public record RedemptionProperties(
        @DefaultValue("5000") @Min(1) @Max(10000) int exposureShareBps,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("5s") Duration tick,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("10") @Min(2) @Max(1000) int closeNoticeDivisor) {

    @ConstructorBinding
    public RedemptionProperties {}

    /** With the default close-notice divisor (10). */
    public RedemptionProperties(int exposureShareBps, Duration interval, Duration tick, Duration lease) {
        this(exposureShareBps, interval, tick, lease, 10);
    }
}
