package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Eip712;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * The channel client on both releases on anvil: a factory with release 1, a channel created on it, then release
 * 2 registered and a channel created on that. The client tells them apart, claims on release 2 pay only what
 * was not claimed before (to the wei, from the chain's own event and balances), {@code credit()} adds up,
 * {@code startEpoch} opens an epoch, and each release refuses the other's calls.
 */
class ChannelReleasesTest extends DeployedFactoryTestBase {
    static final Duration T_R = Duration.ofSeconds(60);
    static final Duration T_C = Duration.ofSeconds(900);
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final Wei DEPOSIT = Wei.parse("50000000000000000");

    static String release2;
    static ChannelClient onRelease1;
    static Credentials signer;

    @BeforeAll
    static void deploy() {
        signer = chain.account(2);
        onRelease1 = create();
        release2 = Deployments.deployRelease2(chain.web3j(), chain.transactionManager(0), deployment.factory());
    }

    static ChannelClient create() {
        return OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(chain, signer.getAddress(), PRICES, T_R, T_C),
                DEPOSIT);
    }

    static ChannelClient as(int account, ChannelClient channel) {
        return new ChannelClient(
                chain.web3j(), channel.address(), chain.transactionManager(account), BigInteger.TEN.pow(12));
    }

    static SignedVoucher voucher(ChannelClient channel, long epoch, int category, long count) {
        byte[] digest = VoucherSignatures.voucherDigest(
                AnvilNode.CHAIN_ID, channel.address(), epoch, category, count, PRICES.hash());
        return new SignedVoucher(category, count, count, VoucherSignatures.sign(digest, signer.getEcKeyPair()));
    }

    @Test
    void tellsTheReleasesApart() {
        var onRelease2 = create();
        assertThat(onRelease1.release()).isEqualTo(1);
        assertThat(onRelease2.release()).isEqualTo(2);
        assertThat(ChannelCode.releaseOf(chain.web3j(), deployment.implementation()))
                .isEqualTo(1);
        assertThat(ChannelCode.releaseOf(chain.web3j(), release2)).isEqualTo(2);
        assertThat(onRelease2.state().implementation().toLowerCase(Locale.ROOT))
                .isEqualTo(release2.toLowerCase(Locale.ROOT));
        // the reads both releases share
        assertThat(onRelease2.state().activePrices()).isEqualTo(PRICES);
        assertThat(onRelease2.state().unredeemed()).isEqualTo(DEPOSIT);
        assertThat(onRelease2.parties().tolerance()).isEqualTo(T_R);
    }

    @Test
    void aSecondClaimPaysOnlyWhatWasNotClaimedBefore() {
        var channel = create();
        var operator = as(4, channel);

        var first = operator.claim(1, List.of(voucher(channel, 1, 0, 30), voucher(channel, 1, 1, 4)));
        Wei firstValue = PRICES.exposure(new long[] {30, 4});
        assertThat(first.amount()).isEqualTo(firstValue);
        assertThat(first.counts()).containsExactly(30L, 4L);
        assertThat(channel.redeemedCounts(1)).containsExactly(30L, 4L);
        assertThat(channel.credit()).isEqualTo(new ChannelClient.Credit(1, firstValue, DEPOSIT));

        // category 0 goes on; category 1 has nothing more and is not sent
        var second = operator.claim(1, List.of(voucher(channel, 1, 0, 42)));
        assertThat(second.amount()).isEqualTo(PRICES.cost(0, 12));
        assertThat(second.counts()).containsExactly(12L, 0L);
        Wei claimed = PRICES.exposure(new long[] {42, 4});
        assertThat(channel.state().earnings()).isEqualTo(claimed);
        assertThat(channel.state().unredeemed()).isEqualTo(DEPOSIT.minus(claimed));
        assertThat(channel.credit())
                .as("credit's total stays the deposit however much is claimed")
                .isEqualTo(new ChannelClient.Credit(1, claimed, DEPOSIT));

        // the same counts again: refused with release 2's own error, nothing sent
        assertThatThrownBy(() -> operator.claim(1, List.of(voucher(channel, 1, 0, 42))))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("ClaimNotAbove"))
                .hasMessageContaining("claim reverted: ClaimNotAbove(category=0, claimedBefore=42, claimed=42)");
        assertThatThrownBy(() -> as(5, channel).claim(1, List.of(voucher(channel, 1, 0, 50))))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("NotOperatorOrPayout"));
    }

    @Test
    void startEpochOpensTheNextEpochAndTheExpiringOneCanStillBeClaimed() {
        var channel = create();
        var operator = as(4, channel);
        operator.startEpoch(PRICES);
        var state = channel.state();
        assertThat(state.activeEpoch()).isEqualTo(2);
        assertThat(state.expiringEpoch()).isEqualTo(1);
        assertThatThrownBy(() -> operator.startEpoch(PRICES))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("EpochExpiring"));

        operator.claim(1, List.of(voucher(channel, 1, 1, 3)));
        operator.claim(2, List.of(voucher(channel, 2, 0, 5)));
        assertThat(channel.credit())
                .isEqualTo(new ChannelClient.Credit(1, PRICES.exposure(new long[] {5, 3}), DEPOSIT));
        // after T_r state() no longer reports the expiring epoch (release 1's shape), and it is still claimable
        chain.increaseTime(T_R.plusSeconds(1));
        assertThat(channel.state().expiringEpoch()).isZero();
        assertThat(operator.claim(1, List.of(voucher(channel, 1, 1, 4))).amount())
                .isEqualTo(PRICES.price(1));
    }

    @Test
    void thePayoutReplacesTheOperatorAtOnce() {
        var channel = create();
        as(3, channel).replaceOperator(chain.account(6).getAddress());
        assertThat(channel.state().operator())
                .isEqualToIgnoringCase(chain.account(6).getAddress());
        assertThatThrownBy(() -> as(4, channel).claim(1, List.of(voucher(channel, 1, 0, 1))))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("NotOperatorOrPayout"));
        assertThat(as(6, channel).claim(1, List.of(voucher(channel, 1, 0, 1))).amount())
                .isEqualTo(PRICES.price(0));
    }

    @Test
    void eachReleaseRefusesTheOthersCalls() {
        var channel = create();
        assertThatThrownBy(() -> as(4, channel).startRedemption(PRICES)).isInstanceOf(ChannelRevertedException.class);
        assertThatThrownBy(() -> as(4, onRelease1).claim(1, List.of(voucher(onRelease1, 1, 0, 1))))
                .isInstanceOf(ChannelRevertedException.class);
        assertThatThrownBy(onRelease1::credit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void upgradeConsentDigestsOfRelease2CoverTheMigrationData() {
        var channel = create();
        var deadline = BigInteger.valueOf(4_000_000_000L);
        byte[] empty = Hash.sha3(new byte[0]);
        byte[] other = Hash.sha3(new byte[] {1});
        assertThat(channel.upgradeConsentDigest(release2, empty, BigInteger.ZERO, deadline))
                .isNotEqualTo(channel.upgradeConsentDigest(release2, other, BigInteger.ZERO, deadline));
        assertThat(onRelease1.upgradeConsentDigest(release2, BigInteger.ZERO, deadline))
                .hasSize(32);
        // the protocol's digests of both releases are the contracts' own
        assertThat(channel.upgradeConsentDigest(release2, other, BigInteger.ONE, deadline))
                .isEqualTo(Eip712.upgradeConsentDigestRelease2(
                        AnvilNode.CHAIN_ID,
                        Address.of(channel.address()),
                        Address.of(release2),
                        other,
                        BigInteger.ONE,
                        deadline));
        assertThat(onRelease1.upgradeConsentDigest(release2, BigInteger.ONE, deadline))
                .isEqualTo(Eip712.upgradeConsentDigestRelease1(
                        AnvilNode.CHAIN_ID,
                        Address.of(onRelease1.address()),
                        Address.of(release2),
                        BigInteger.ONE,
                        deadline));
    }

    @Test
    void claimManyClaimsOnSeveralChannelsAndReportsTheOneThatFails() {
        var a = create();
        var b = create();
        var factory = new FactoryClient(
                chain.web3j(), deployment.factory(), chain.transactionManager(4), BigInteger.TEN.pow(12));
        var batch = factory.claimMany(List.of(
                new FactoryClient.ClaimCall(a.address(), 1, List.of(voucher(a, 1, 0, 10))),
                // signed for channel a: b's signer check refuses it
                new FactoryClient.ClaimCall(b.address(), 1, List.of(voucher(a, 1, 1, 2)))));
        String aKey = a.address().toLowerCase(Locale.ROOT);
        String bKey = b.address().toLowerCase(Locale.ROOT);
        assertThat(batch.paid()).containsOnlyKeys(aKey);
        assertThat(batch.paid().get(aKey).amount()).isEqualTo(PRICES.cost(0, 10));
        assertThat(batch.failed()).containsOnlyKeys(bKey);
        assertThat(batch.failed().get(bKey).error()).isEqualTo("WrongSigner");
        assertThat(a.state().earnings()).isEqualTo(PRICES.cost(0, 10));
        assertThat(b.state().earnings()).isEqualTo(Wei.ZERO);
    }
}
