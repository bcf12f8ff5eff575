package io.tollgate.contracts.channel;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Instant;
import java.util.Optional;

/**
 * A channel's mutable state, read in one call ({@code Intermediary.state()}).
 *
 * @param expiringEpoch the epoch being redeemed, 0 when none
 * @param expiringUntil when its tolerance T_r ends (vouchers of it are accepted until then)
 * @param lastEpochStarted a close was requested and the active epoch is the last one
 * @param unredeemed the consumer's deposit not yet paid to the provider
 * @param earnings what the provider earned and has not withdrawn
 * @param closeAt when the owner may close, if a close was requested
 */
public record ChannelState(
        long activeEpoch,
        long expiringEpoch,
        Instant expiringUntil,
        boolean lastEpochStarted,
        PriceTable activePrices,
        String activePriceTableHash,
        Wei unredeemed,
        Wei earnings,
        Wei collateral,
        Wei totalDeposited,
        Optional<Instant> closeAt,
        boolean closed,
        String signer,
        String pendingSigner,
        String operator,
        String pendingOperator,
        String implementation) {

    /** Whether vouchers of the active epoch may still be accepted: not closed and no close requested. */
    public boolean open() {
        return !closed && closeAt.isEmpty();
    }
}
