package io.tollgate.gateway.redemption;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntToLongFunction;
import reactor.core.publisher.Mono;

/**
 * Whether a channel of release 2 is due for a claim now, and why: the seam where the redemption rule plugs in
 * (one method).
 */
@FunctionalInterface
public interface ClaimRule {

    /**
     * @param unclaimed Σ (best count − claimed count) × price over the open epochs: what a claim would pay now
     * @param lastClaim when this channel was last claimed (or the scheduler started)
     */
    Mono<RedemptionDecision.Decision> due(ChannelState state, Wei unclaimed, Instant lastClaim, Instant now);

    /**
     * {@link RedemptionDecision} on the unclaimed value: its value (at most the unredeemed deposit), the unclaimed
     * value as the exposure at risk, the unredeemed deposit, the close request, the age since the last claim, and
     * {@code gas} of the active table's categories at the chain's current fee (read only when there is something
     * to claim). An expiring epoch does not hold a claim back (on release 2 it can be claimed while it expires
     * and after).
     *
     * @param gas the estimated gas of a claim for a table of k categories
     */
    static ClaimRule of(RedemptionDecision decision, RedemptionChain chain, IntToLongFunction gas) {
        return (state, unclaimed, lastClaim, now) -> {
            if (state.closed() || unclaimed.isZero()) {
                return Mono.just(new RedemptionDecision.Decision.Wait(new RedemptionDecision.Input(
                        Wei.ZERO, unclaimed, state.unredeemedDeposit(), false, Duration.ZERO, 0, Wei.ZERO)));
            }
            long units = gas.applyAsLong(state.activeTerms().table().categories());
            return chain.fees()
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("the chain gave no fee estimate")))
                    .map(fees -> decision.decide(new RedemptionDecision.Input(
                            unclaimed.min(state.unredeemedDeposit()),
                            unclaimed,
                            state.unredeemedDeposit(),
                            state.closesAt().isPresent(),
                            Duration.between(lastClaim, now),
                            units,
                            fees.perGas())));
        };
    }
}
