package io.tollgate.gateway.redemption;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.pricing.Wei;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a channel of release 2 is due for a claim now, and why: the seam where the redemption rule plugs in
 * (one method).
 */
@FunctionalInterface
public interface ClaimRule {

    /**
     * @param unclaimed Σ (best count − claimed count) × price over the open epochs: what a claim would pay now
     * @param lastClaim when this channel was last claimed (or the scheduler started)
     * @return the reason to claim now, or empty
     */
    Optional<RedemptionTrigger.Reason> due(ChannelState state, Wei unclaimed, Instant lastClaim, Instant now);

    /**
     * The two-phase {@link RedemptionTrigger}'s rule applied to the unclaimed value: a close request makes a
     * claim due at once, then the exposure share of the unredeemed deposit, then the interval. An expiring epoch
     * does not hold a claim back (on release 2 it can be claimed while it expires and after).
     */
    static ClaimRule of(RedemptionTrigger trigger) {
        return (state, unclaimed, lastClaim, now) -> {
            EpochTerms active = state.activeTerms();
            var withoutExpiring = new ChannelState(
                    state.channel(),
                    state.chainId(),
                    state.factory(),
                    state.provider(),
                    state.signer(),
                    state.activeEpoch(),
                    Map.of(
                            active.epoch(),
                            new EpochTerms(
                                    active.epoch(),
                                    active.table(),
                                    Optional.empty(),
                                    active.priceTableHash(),
                                    active.signer())),
                    state.unredeemedDeposit(),
                    state.oldestUnredeemedEpoch(),
                    state.closesAt(),
                    state.closed(),
                    state.parties(),
                    state.release(),
                    state.creditLimit(),
                    state.pendingSigner());
            return trigger.due(withoutExpiring, unclaimed, lastClaim, now);
        };
    }
}
