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
 * @param claims the rule for channels of release 2, whose one-step claims are decided apart from release 1's
 *     two-phase redemptions (the settings above): see {@link Claims}
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
        @DefaultValue @Valid Gas gas,
        @DefaultValue @Valid Claims claims) {

    @ConstructorBinding
    public RedemptionProperties {
        if (!maxAge.isPositive()) {
            throw new IllegalArgumentException("tollgate.gateway.redemption.max-age must be positive, was " + maxAge);
        }
    }

    /**
     * For tests: a worth ratio of 20 and a max age of 24 h for both releases' rules (release 2's claims too, with
     * the same exposure share), the close-notice divisor (10) and gas defaults.
     */
    public RedemptionProperties(int exposureShareBps, Duration tick, Duration lease) {
        this(
                exposureShareBps,
                20,
                Duration.ofHours(24),
                tick,
                lease,
                10,
                Gas.DEFAULTS,
                new Claims(20, exposureShareBps, Duration.ofHours(24)));
    }

    /**
     * When a release-2 channel is claimed. A claim does not free the consumer's credit (the contract's credit
     * limit counts claimed value) and the deposit cannot leave the channel without a close request, which forces a
     * claim at once: waiting costs nothing but the risk of losing the best vouchers the gateway holds, which
     * {@code maxAge} bounds. So the defaults claim when the claim's gas is at most 1/20,000 of what it pays (0.005
     * %), or when the value has waited 3 days; the exposure share only when the unclaimed value is the whole
     * unredeemed deposit. docs/economics.md shows what they cost as a share of revenue.
     *
     * @param worthRatio claim once the unclaimed value is at least this many times the claim's estimated gas cost
     * @param exposureShareBps claim once the unclaimed value reaches this share of the unredeemed deposit
     * @param maxAge claim a value that has waited this long since the channel's last claim
     */
    public record Claims(
            @DefaultValue("20000") @Min(1) int worthRatio,
            @DefaultValue("10000") @Min(1) @Max(10000) int exposureShareBps,
            @DefaultValue("3d") Duration maxAge) {
        public Claims {
            if (!maxAge.isPositive()) {
                throw new IllegalArgumentException(
                        "tollgate.gateway.redemption.claims.max-age must be positive, was " + maxAge);
            }
        }
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
     * @param claimBase release 2's one-step claim, fixed part: the gas report's steady-state claim transactions
     *     (base and calldata included, contracts/docs/gas-report.md) are 73 547 gas for k = 1 and 118 625 for
     *     k = 4, so 58 521 = 73 547 − 15 026
     * @param claimPerCategory release 2's claim, per category claimed ((118 625 − 73 547) / 3 = 15 026)
     */
    public record Gas(
            @DefaultValue("113611") @Min(0) long startRedemptionBase,
            @DefaultValue("22376") @Min(0) long startRedemptionPerCategory,
            @DefaultValue("96913") @Min(0) long finishRedemptionBase,
            @DefaultValue("37101") @Min(0) long finishRedemptionPerCategory,
            @DefaultValue("58521") @Min(0) long claimBase,
            @DefaultValue("15026") @Min(0) long claimPerCategory) {

        public static final Gas DEFAULTS = new Gas(113_611, 22_376, 96_913, 37_101, 58_521, 15_026);

        /** One release-2 claim of {@code categories} categories. */
        public long claim(int categories) {
            return claimBase + claimPerCategory * categories;
        }

        /** startRedemption + finishRedemption for a price table of {@code categories} categories. */
        public long twoPhase(int categories) {
            return startRedemptionBase
                    + finishRedemptionBase
                    + (startRedemptionPerCategory + finishRedemptionPerCategory) * categories;
        }
    }
}
