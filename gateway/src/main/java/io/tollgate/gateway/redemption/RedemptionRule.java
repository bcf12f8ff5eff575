package io.tollgate.gateway.redemption;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntToLongFunction;
import reactor.core.publisher.Mono;

/**
 * Whether a channel is due for a redemption now (release 2: a claim; release 1: a start), and why: the seam
 * where the redemption rule plugs in (one method).
 */
@FunctionalInterface
public interface RedemptionRule {

    /**
     * @param value what a redemption would pay now: release 2, Σ (best count − claimed count) × price over the
     *     open epochs; release 1, the active epoch's exposure
     * @param last when this channel was last redeemed (or the scheduler started)
     */
    Mono<RedemptionDecision.Decision> due(ChannelState state, Wei value, Instant last, Instant now);

    /**
     * {@link RedemptionDecision} on the value: its value (at most the unredeemed deposit), the value as the
     * exposure at risk, the unredeemed deposit, the close request, the age since the last redemption, and {@code
     * gas} of the active table's categories at the chain's current fee (read only when there is something to
     * redeem). Nothing is due on a closed channel or without value. An expiring epoch does not hold a claim back
     * (on release 2 it can be claimed while it expires and after); release 1 asks only when none expires.
     *
     * <p>A channel holding an ERC-20 is never redeemed for being worth its gas: its value counts the token's
     * smallest unit and the gas cost wei, and the gateway knows no exchange rate between them, so comparing them
     * would be meaningless (a 6-decimal dollar would never be worth it, an 18-decimal token far too often). It is
     * redeemed on its exposure share, a close request or max age.
     *
     * @param gas the estimated gas of the redemption (a claim, or start + finish) for a table of k categories
     */
    static RedemptionRule of(RedemptionDecision decision, RedemptionChain chain, IntToLongFunction gas) {
        return (state, value, last, now) -> {
            if (state.closed() || value.isZero()) {
                return Mono.just(nothingDue(state, value));
            }
            long units = gas.applyAsLong(state.activeTerms().table().categories());
            return chain.fees()
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("the chain gave no fee estimate")))
                    .map(fees -> decision.decide(new RedemptionDecision.Input(
                            value.min(state.unredeemedDeposit()),
                            value,
                            state.unredeemedDeposit(),
                            state.closesAt().isPresent(),
                            Duration.between(last, now),
                            units,
                            fees.perGas())))
                    .map(decided -> decided instanceof RedemptionDecision.Decision.Redeem redeem
                                    && redeem.reason() == RedemptionDecision.Reason.WORTH_IT
                                    && !ChannelState.ETHER.equals(state.token())
                            ? new RedemptionDecision.Decision.Wait(redeem.input())
                            : decided);
        };
    }

    /** Waiting, with nothing weighed: no gas read, {@code exposure} at risk. */
    static RedemptionDecision.Decision nothingDue(ChannelState state, Wei exposure) {
        return new RedemptionDecision.Decision.Wait(new RedemptionDecision.Input(
                Wei.ZERO, exposure, state.unredeemedDeposit(), false, Duration.ZERO, 0, Wei.ZERO));
    }
}
