package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A channel's SLA terms as the contract holds them, fixed at creation: availability target, window length, the
 * first window's start, penalty tiers, the monitors whose signed reports count and how many of them a window
 * needs. No monitors means no SLA. Window {@code w} covers {@code [start + w·length, start + (w+1)·length)}.
 * {@link #median} and {@link #penaltyFor} compute exactly what {@code reportWindow} pays, so that monitors,
 * submitters and the marketplace can tell in advance.
 *
 * @param start the first window's start; {@link Instant#EPOCH} asks the contract to start at its creation block
 * @param monitors lower-case addresses
 */
public record SlaTerms(
        BasisPoints target,
        Duration windowLength,
        Instant start,
        List<PenaltyTier> tiers,
        List<String> monitors,
        int quorum) {

    public static final int MAX_MONITORS = 16;
    public static final int MAX_TIERS = 8;

    /** A window whose median availability is below {@code below} pays {@code penalty}. */
    public record PenaltyTier(BasisPoints below, Wei penalty) {}

    public SlaTerms {
        tiers = List.copyOf(tiers);
        monitors = monitors.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
        if (!monitors.isEmpty()) {
            if (monitors.size() > MAX_MONITORS) {
                throw new IllegalArgumentException("at most 16 monitors: " + monitors.size());
            }
            if (quorum < 1 || quorum > monitors.size()) {
                throw new IllegalArgumentException("quorum must be 1.." + monitors.size() + ": " + quorum);
            }
            if (windowLength.isNegative() || windowLength.isZero() || windowLength.toNanos() % 1_000_000_000 != 0) {
                throw new IllegalArgumentException(
                        "the window length must be whole seconds above zero: " + windowLength);
            }
            if (tiers.isEmpty() || tiers.size() > MAX_TIERS) {
                throw new IllegalArgumentException("1 to 8 penalty tiers: " + tiers.size());
            }
            if (monitors.stream().distinct().count() != monitors.size()) {
                throw new IllegalArgumentException("a monitor is named twice: " + monitors);
            }
        }
    }

    /** No SLA: what a channel without terms holds. */
    public static SlaTerms none() {
        return new SlaTerms(BasisPoints.ZERO, Duration.ZERO, Instant.EPOCH, List.of(), List.of(), 0);
    }

    public boolean present() {
        return !monitors.isEmpty();
    }

    public boolean names(String monitor) {
        return monitors.contains(monitor.toLowerCase(Locale.ROOT));
    }

    public Instant windowStart(long window) {
        return start.plus(windowLength.multipliedBy(window));
    }

    /** When window {@code window} ends (exclusive), the earliest block time {@code reportWindow} accepts it. */
    public Instant windowEnd(long window) {
        return windowStart(window + 1);
    }

    /** The window {@code at} falls in; negative before the first window. */
    public long windowAt(Instant at) {
        return Math.floorDiv(Duration.between(start, at).toSeconds(), windowLength.toSeconds());
    }

    /** The contract's median of reported availabilities: the lower middle value for an even count. */
    public static int median(List<Integer> availabilityBps) {
        if (availabilityBps.isEmpty()) {
            throw new IllegalArgumentException("no reports");
        }
        var sorted = new ArrayList<>(availabilityBps);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** The largest penalty among the tiers whose threshold {@code availabilityBps} is below (zero if none). */
    public Wei penaltyFor(int availabilityBps) {
        Wei penalty = Wei.ZERO;
        for (PenaltyTier tier : tiers) {
            if (availabilityBps < tier.below().value() && tier.penalty().compareTo(penalty) > 0) {
                penalty = tier.penalty();
            }
        }
        return penalty;
    }

    /** The largest penalty one window can cost. */
    public Wei largestPenalty() {
        return tiers.stream()
                .map(PenaltyTier::penalty)
                .max(Comparator.naturalOrder())
                .orElse(Wei.ZERO);
    }

    /** The terms as the factory's {@code createChannel} takes them. */
    public IntermediaryFactory.Sla toFactory() {
        return new IntermediaryFactory.Sla(
                BigInteger.valueOf(target.value()),
                BigInteger.valueOf(windowLength.toSeconds()),
                BigInteger.valueOf(start.getEpochSecond()),
                tiers.stream()
                        .map(t -> new IntermediaryFactory.PenaltyTier(
                                BigInteger.valueOf(t.below().value()),
                                t.penalty().value()))
                        .toList(),
                monitors,
                BigInteger.valueOf(quorum));
    }

    static SlaTerms of(Intermediary.Sla sla) {
        if (sla.monitors.isEmpty()) {
            return none();
        }
        return new SlaTerms(
                new BasisPoints(sla.targetBps.intValueExact()),
                Duration.ofSeconds(sla.windowLength.longValueExact()),
                Instant.ofEpochSecond(sla.start.longValueExact()),
                sla.tiers.stream()
                        .map(t -> new PenaltyTier(new BasisPoints(t.belowBps.intValueExact()), new Wei(t.penalty)))
                        .toList(),
                sla.monitors,
                sla.quorum.intValueExact());
    }
}
