package io.tollgate.gateway.chain;

import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
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
 * @param unredeemedDeposit deposit not yet redeemed (paid to the provider)
 * @param oldestUnredeemedEpoch epochs below it are redeemed: release 1's finished epochs (release 2:
 *     {@code credit().oldestOpenEpoch})
 * @param closesAt when a requested close takes effect; empty when no close was requested
 * @param closed the channel was closed (terminal)
 * @param parties owner, token, operator, T_r and T_c
 * @param release the Intermediary release the channel runs: 1 redeems in two phases, 2 claims in one step
 * @param creditLimit what Σ best count × price over the epochs from {@code oldestUnredeemedEpoch} on may reach:
 *     the exposure check's bound. Release 1: the unredeemed deposit (a finished epoch leaves the exposure and the
 *     deposit together). Release 2: {@code credit().total}, the unredeemed deposit plus what was already claimed
 *     of the open epochs, since a claim lowers the deposit while the claimed epoch stays open and its best
 *     vouchers stay in the exposure.
 * @param pendingSigner a signer the owner rotated to that takes effect with the next epoch (lower case), if any
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
        Parties parties,
        int release,
        Wei creditLimit,
        Optional<String> pendingSigner) {

    /** The ERC-20 address ({@code 0x0…0}, lower case) of a channel holding ether. */
    public static final String ETHER = "0x0000000000000000000000000000000000000000";

    /**
     * Who the channel belongs to and the terms it was created with, as the chain holds them (addresses lower
     * case). Admission compares them with what was agreed for the listing.
     *
     * @param owner the consumer's cold key (the channel's owner)
     * @param token the ERC-20 the channel holds, {@link #ETHER} for ether
     * @param operator the key allowed to redeem (the provider's gateways')
     * @param redeemWindow T_r: how long vouchers of an expiring epoch stay valid
     * @param closeDelay T_c: how long after a close request the owner may close
     */
    public record Parties(String owner, String token, String operator, Duration redeemWindow, Duration closeDelay) {
        public Parties {
            owner = owner.toLowerCase(Locale.ROOT);
            token = token.toLowerCase(Locale.ROOT);
            operator = operator.toLowerCase(Locale.ROOT);
        }
    }

    /** A channel of release 1: the credit limit is the unredeemed deposit. */
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
            boolean closed,
            Parties parties) {
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
                parties,
                1,
                unredeemedDeposit,
                Optional.empty());
    }

    public ChannelState {
        if (release < 1) {
            throw new IllegalArgumentException("no release " + release);
        }
        epochs = Map.copyOf(epochs);
        pendingSigner = pendingSigner.map(a -> a.toLowerCase(Locale.ROOT));
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

    public String owner() {
        return parties.owner();
    }

    public String token() {
        return parties.token();
    }

    public String operator() {
        return parties.operator();
    }

    public Duration redeemWindow() {
        return parties.redeemWindow();
    }

    public Duration closeDelay() {
        return parties.closeDelay();
    }

    /** Whether the channel redeems by one-step claims (release 2 and later) rather than in two phases. */
    public boolean claims() {
        return release >= 2;
    }

    public boolean closing() {
        return closed || closesAt.isPresent();
    }
}
