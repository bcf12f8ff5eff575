package io.tollgate.contracts.channel;

import static io.tollgate.contracts.channel.NodeReads.read;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.web3j.utils.Numeric;

/**
 * A channel's state as the chain says now. Reads shared by both releases ({@code state()} keeps release 1's
 * shape) work on either; {@link #release()} tells which one a channel runs (asked once); {@link #credit()} and
 * the release-2 consent digest are refused by a release-1 contract.
 */
final class ChannelReader {
    private final ChannelCalls calls;
    private final Intermediary contract;
    /** The release the channel runs, once asked ({@link #release()}). */
    private volatile Integer release;

    ChannelReader(ChannelCalls calls) {
        this.calls = calls;
        this.contract = calls.contract();
    }

    ChannelState state() {
        Intermediary.State s = read(() -> contract.state().send());
        long closeAt = s.closeAt.longValueExact();
        return new ChannelState(
                s.activeEpoch.longValueExact(),
                s.expiringEpoch.longValueExact(),
                Instant.ofEpochSecond(s.expiringUntil.longValueExact()),
                s.lastEpochStarted,
                new PriceTable(s.activePrices.stream().map(Wei::new).toList()),
                Numeric.toHexString(s.activePriceTableHash),
                new Wei(s.unredeemed),
                new Wei(s.earnings),
                new Wei(s.collateral),
                new Wei(s.totalDeposited),
                closeAt == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(closeAt)),
                s.closed,
                s.signer,
                s.pendingSigner,
                s.operator,
                s.pendingOperator,
                s.implementation);
    }

    ChannelClient.Parties parties() {
        var p = read(() -> contract.parties().send());
        return new ChannelClient.Parties(
                p.component1(),
                p.component2(),
                p.component3(),
                p.component4(),
                Duration.ofSeconds(p.component5().longValueExact()),
                Duration.ofSeconds(p.component6().longValueExact()));
    }

    PriceTable pricesOf(long epoch) {
        var prices =
                read(() -> contract.pricesOf(BigInteger.valueOf(epoch)).send()).component1();
        return new PriceTable(prices.stream().map(Wei::new).toList());
    }

    String signerOf(long epoch) {
        return read(() -> contract.signerOf(BigInteger.valueOf(epoch)).send());
    }

    List<Long> redeemedCounts(long epoch) {
        return read(() -> contract.redeemedCounts(BigInteger.valueOf(epoch)).send()).component1().stream()
                .map(BigInteger::longValueExact)
                .toList();
    }

    SlaTerms slaTerms() {
        return SlaTerms.of(read(() -> contract.slaTerms().send()));
    }

    boolean windowReported(long window) {
        return read(() -> contract.windowReported(BigInteger.valueOf(window)).send());
    }

    byte[] windowReportDigest(long window, int availabilityBps) {
        return read(() -> contract.windowReportDigest(BigInteger.valueOf(window), BigInteger.valueOf(availabilityBps))
                .send());
    }

    byte[] voucherDigest(long epoch, int category, long count, byte[] priceTableHash) {
        return read(() -> contract.voucherDigest(
                        BigInteger.valueOf(epoch),
                        BigInteger.valueOf(category),
                        BigInteger.valueOf(count),
                        priceTableHash)
                .send());
    }

    int release() {
        Integer known = release;
        if (known == null) {
            known = ChannelCode.releaseOf(calls.web3j(), calls.channel());
            release = known;
        }
        return known;
    }

    ChannelClient.Credit credit() {
        var c = read(() -> release2().credit().send());
        return new ChannelClient.Credit(
                c.component1().longValueExact(), new Wei(c.component2()), new Wei(c.component3()));
    }

    /** The nonce the next upgrade consent must carry (both releases). */
    BigInteger upgradeNonce() {
        return read(() -> contract.upgradeNonce().send());
    }

    /** The EIP-712 type hash of the channel's upgrade consent (telling its consent format). */
    byte[] upgradeConsentTypehash() {
        return read(() -> contract.UPGRADE_CONSENT_TYPEHASH().send());
    }

    byte[] upgradeConsentDigest(String implementation, BigInteger nonce, BigInteger deadline) {
        return read(() ->
                contract.upgradeConsentDigest(implementation, nonce, deadline).send());
    }

    byte[] upgradeConsentDigest(String implementation, byte[] dataHash, BigInteger nonce, BigInteger deadline) {
        return read(() -> release2()
                .upgradeConsentDigest(implementation, dataHash, nonce, deadline)
                .send());
    }

    private IntermediaryRelease2 release2() {
        return calls.release2();
    }
}
