package io.tollgate.contracts.channel;

import java.time.Duration;

/**
 * A channel's two times, fixed at creation ({@code parties()}).
 *
 * <p>A close may be requested right after a redemption of the active epoch started: that redemption finishes
 * T_r later, then the last epoch starts and finishes another T_r later, and both finishes must be mined before
 * the close time. So a channel is safe for its provider only when {@code T_c ≥ 2·T_r + }{@link #CLOSE_MARGIN};
 * the margin covers the gateway's scheduler ticks, noticing the close request and mining four transactions.
 * The contract itself only refuses {@code T_c ≤ 2·T_r}. The gateway's admission, the marketplace's listing
 * checks and the redemption scheduler use this one rule.
 *
 * @param tolerance T_r: how long vouchers of an expiring epoch stay valid; a redemption finishes after it
 * @param closeDelay T_c: how long after a close request the owner may close
 */
public record ChannelTimes(Duration tolerance, Duration closeDelay) {

    /** What {@code T_c} must exceed {@code 2·T_r} by: scheduler ticks, the close notice and four transactions. */
    public static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);

    public ChannelTimes {
        if (tolerance.isNegative() || tolerance.isZero() || closeDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "T_r must be positive and T_c not negative: " + tolerance + ", " + closeDelay);
        }
    }

    /** The smallest T_c with which the last epoch is always redeemed in time: {@code 2·T_r + 30 s}. */
    public static Duration minimumCloseDelay(Duration tolerance) {
        return tolerance.multipliedBy(2).plus(CLOSE_MARGIN);
    }

    /** Whether {@code T_c ≥ 2·T_r + 30 s}: a close requested at the worst moment still lets every epoch be redeemed. */
    public boolean safeForProvider() {
        return closeDelay.compareTo(minimumCloseDelay(tolerance)) >= 0;
    }

    /** The times of {@code parties}. */
    public static ChannelTimes of(ChannelClient.Parties parties) {
        return new ChannelTimes(parties.tolerance(), parties.closeDelay());
    }
}
