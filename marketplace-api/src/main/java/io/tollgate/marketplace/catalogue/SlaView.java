package io.tollgate.marketplace.catalogue;

import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A listing's SLA terms as the API shows them (amounts as decimal strings): what every channel created for the
 * listing holds, with the start of its first window chosen when the channel is prepared.
 *
 * @param tiers the highest threshold first
 * @param monitors lower-case addresses
 * @param collateralWei what the provider promises to deposit into each channel
 * @param probePath the path under the listing's upstream that monitors probe
 * @param reportPeriodSeconds how long after a window's end monitor reports may be added on chain (release 2):
 *     the SLA struct's third field of the factory call, where release 1 had the first window's start
 * @param collateral {@code collateralWei} in whole units of the listing's token ("0.5"); null where the unit is not
 *     known (listing versions)
 */
public record SlaView(
        int targetBps,
        long windowSeconds,
        List<TierView> tiers,
        List<String> monitors,
        int quorum,
        String collateralWei,
        String probePath,
        long reportPeriodSeconds,

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        @org.jspecify.annotations.Nullable
        String collateral) {

    /** Terms without whole-unit amounts. */
    public SlaView(
            int targetBps,
            long windowSeconds,
            List<TierView> tiers,
            List<String> monitors,
            int quorum,
            String collateralWei,
            String probePath,
            long reportPeriodSeconds) {
        this(targetBps, windowSeconds, tiers, monitors, quorum, collateralWei, probePath, reportPeriodSeconds, null);
    }

    /** Terms read before the report period existed: one window length. */
    public SlaView {
        if (reportPeriodSeconds == 0) {
            reportPeriodSeconds = windowSeconds;
        }
    }

    public SlaView(
            int targetBps,
            long windowSeconds,
            List<TierView> tiers,
            List<String> monitors,
            int quorum,
            String collateralWei,
            String probePath) {
        this(targetBps, windowSeconds, tiers, monitors, quorum, collateralWei, probePath, windowSeconds, null);
    }

    /** These terms with their amounts also in whole units of {@code unit}. */
    public SlaView inUnits(io.tollgate.pricing.TokenUnit unit) {
        return new SlaView(
                targetBps,
                windowSeconds,
                tiers.stream()
                        .map(t -> new TierView(
                                t.belowBps(), t.penaltyWei(), unit.format(new java.math.BigInteger(t.penaltyWei()))))
                        .toList(),
                monitors,
                quorum,
                collateralWei,
                probePath,
                reportPeriodSeconds,
                unit.format(new java.math.BigInteger(collateralWei)));
    }

    /** How long after a window's end reports may be added (release 2). */
    public Duration reportPeriod() {
        return Duration.ofSeconds(reportPeriodSeconds);
    }

    /** @param penalty {@code penaltyWei} in whole units of the listing's token; null where the unit is not known */
    public record TierView(
            int belowBps,
            String penaltyWei,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            @org.jspecify.annotations.Nullable
            String penalty) {
        public TierView(int belowBps, String penaltyWei) {
            this(belowBps, penaltyWei, null);
        }
    }

    /** The terms a channel created now holds, its first window starting at {@code start}. */
    public SlaTerms channelTerms(Instant start) {
        return new SlaTerms(
                new BasisPoints(targetBps),
                Duration.ofSeconds(windowSeconds),
                start,
                tiers.stream()
                        .map(t -> new SlaTerms.PenaltyTier(new BasisPoints(t.belowBps()), Wei.parse(t.penaltyWei())))
                        .toList(),
                monitors,
                quorum);
    }
}
