package io.tollgate.gateway.redemption;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Whether the active epoch of a channel is due for redemption now, and why. */
public final class RedemptionTrigger {

    public enum Reason {
        /** A close was requested: the last epoch must be redeemed before the close time. */
        CLOSE_REQUESTED,
        /** The epoch's exposure reached the configured share of the unredeemed deposit. */
        EXPOSURE_SHARE,
        /** The interval since the last redemption passed. */
        TIMER
    }

    private final int exposureShareBps;
    private final Duration interval;

    public RedemptionTrigger(int exposureShareBps, Duration interval) {
        this.exposureShareBps = exposureShareBps;
        this.interval = interval;
    }

    /**
     * @param activeExposure Σ best count × price of the active epoch
     * @param lastRedemption when the previous redemption of this channel was requested (or the channel first seen)
     */
    public Optional<Reason> due(ChannelState state, Wei activeExposure, Instant lastRedemption, Instant now) {
        if (state.closed() || activeExposure.isZero()) {
            return Optional.empty();
        }
        boolean oneRunning =
                state.epochs().values().stream().anyMatch(t -> t.expiresAt().isPresent());
        if (oneRunning) {
            return Optional.empty();
        }
        if (state.closesAt().isPresent()) {
            return Optional.of(Reason.CLOSE_REQUESTED);
        }
        BigInteger threshold = state.unredeemedDeposit()
                .value()
                .multiply(BigInteger.valueOf(exposureShareBps))
                .divide(BigInteger.valueOf(10_000));
        if (activeExposure.value().compareTo(threshold) >= 0) {
            return Optional.of(Reason.EXPOSURE_SHARE);
        }
        if (!now.isBefore(lastRedemption.plus(interval))) {
            return Optional.of(Reason.TIMER);
        }
        return Optional.empty();
    }
}
