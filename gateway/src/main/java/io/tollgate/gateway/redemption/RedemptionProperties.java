package io.tollgate.gateway.redemption;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When the gateway redeems ({@link RedemptionDecision}: when it pays or when it must, never on a timer alone).
 *
 * @param exposureShareBps redeem once the active epoch's exposure reaches this share of the unredeemed deposit
 * @param worthRatio redeem once the value to claim is at least this many times the redemption's estimated gas
 *     cost (estimated gas units × the chain's current fee per gas)
 * @param maxAge redeem a value that has waited this long even when it is not worth its gas (a safety net; only
 *     when there is something to redeem)
 * @param tick how often channels are examined
 * @param lease how long one replica holds a channel's redemption lease in Redis
 * @param closeNoticeDivisor k: the scheduler reads each channel's close state from the chain again at least
 *     every T_c/k (the channel's own T_c), so a close request is noticed within T_c/k plus one tick
 * @param gas the estimated gas units of each kind of redemption call
 */
@Validated
@ConfigurationProperties("tollgate.gateway.redemption")
public record RedemptionProperties(
        @DefaultValue("5000") @Min(1) @Max(10000) int exposureShareBps,
        @DefaultValue("20") @Min(1) int worthRatio,
        @DefaultValue("24h") Duration maxAge,
        @DefaultValue("5s") Duration tick,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("10") @Min(2) @Max(1000) int closeNoticeDivisor,
        @DefaultValue @Valid Gas gas) {

    @ConstructorBinding
    public RedemptionProperties {
        if (!maxAge.isPositive()) {
            throw new IllegalArgumentException("tollgate.gateway.redemption.max-age must be positive, was " + maxAge);
        }
    }

    /** With the defaults for the worth ratio (20), max age (24 h), close-notice divisor (10) and gas. */
    public RedemptionProperties(int exposureShareBps, Duration tick, Duration lease) {
        this(exposureShareBps, 20, Duration.ofHours(24), tick, lease, 10, Gas.DEFAULTS);
    }

    /**
     * Estimated gas units of the redemption calls, each as a fixed part plus a part per category of the price
     * table (the contract stores the next table and every category's count). The defaults are what the receipts
     * of release 1 showed on anvil (execution, calldata and the 21 000 base; a fresh channel's first epoch, one
     * voucher per category; {@code Eip1559TransactionsTest} prints them): startRedemption 135 987 gas for k = 1 and
     * 203 115 for k = 4, finishRedemption 134 014 for k = 1 and 245 317 for k = 4 — 270 001 gas per redemption
     * for k = 1, 448 432 for k = 4.
     *
     * @param startRedemptionBase startRedemption, fixed part (113 611 = 135 987 − 22 376)
     * @param startRedemptionPerCategory startRedemption, per category ((203 115 − 135 987) / 3 = 22 376)
     * @param finishRedemptionBase finishRedemption, fixed part (96 913 = 134 014 − 37 101)
     * @param finishRedemptionPerCategory finishRedemption, per category ((245 317 − 134 014) / 3 = 37 101)
     */
    public record Gas(
            @DefaultValue("113611") @Min(0) long startRedemptionBase,
            @DefaultValue("22376") @Min(0) long startRedemptionPerCategory,
            @DefaultValue("96913") @Min(0) long finishRedemptionBase,
            @DefaultValue("37101") @Min(0) long finishRedemptionPerCategory) {

        public static final Gas DEFAULTS = new Gas(113_611, 22_376, 96_913, 37_101);

        /** startRedemption + finishRedemption for a price table of {@code categories} categories. */
        public long twoPhase(int categories) {
            return startRedemptionBase
                    + finishRedemptionBase
                    + (startRedemptionPerCategory + finishRedemptionPerCategory) * categories;
        }
    }
}
