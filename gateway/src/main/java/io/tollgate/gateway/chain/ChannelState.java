package io.tollgate.gateway.chain;

import io.tollgate.pricing.Wei;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway knows about one channel from the chain.
 *
 * @param channel the channel contract ({@code 0x}, lower case)
 * @param chainId the chain it lives on (part of the EIP-712 domain)
 * @param factory the factory that created it
 * @param provider the provider's payout address the channel pays (must match the listing's)
 * @param signer the consumer's current signer key address
 * @param activeEpoch the epoch new vouchers are signed for
 * @param epochs the unredeemed epochs' price tables (the active one and at most one expiring)
 * @param unredeemedDeposit deposit not yet redeemed
 * @param oldestUnredeemedEpoch epochs below it are redeemed
 * @param closesAt when a requested close takes effect; empty when no close was requested
 * @param closed the channel was closed (terminal)
 */
public record ChannelState(
        String channel,
        long chainId,
        String factory,
        String provider,
        String signer,
        long activeEpoch,
        Map<Long, EpochTerms> epochs,
        Wei unredeemedDeposit,
        long oldestUnredeemedEpoch,
        Optional<Instant> closesAt,
        boolean closed,
        Optional<String> operator) {

    /** A channel whose operator is not known (configured channels, tests of other checks). */
    public ChannelState(
            String channel,
            long chainId,
            String factory,
            String provider,
            String signer,
            long activeEpoch,
            Map<Long, EpochTerms> epochs,
            Wei unredeemedDeposit,
            long oldestUnredeemedEpoch,
            Optional<Instant> closesAt,
            boolean closed) {
        this(
                channel,
                chainId,
                factory,
                provider,
                signer,
                activeEpoch,
                epochs,
                unredeemedDeposit,
                oldestUnredeemedEpoch,
                closesAt,
                closed,
                Optional.empty());
    }

    public ChannelState {
        epochs = Map.copyOf(epochs);
        if (!epochs.containsKey(activeEpoch)) {
            throw new IllegalArgumentException("no price table for the active epoch " + activeEpoch);
        }
    }

    public EpochTerms activeTerms() {
        return epochs.get(activeEpoch);
    }

    public Optional<EpochTerms> terms(long epoch) {
        return Optional.ofNullable(epochs.get(epoch));
    }

    public boolean closing() {
        return closed || closesAt.isPresent();
    }
}
