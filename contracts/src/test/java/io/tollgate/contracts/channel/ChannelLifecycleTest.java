package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The whole channel lifecycle on a real EVM, through the Java channel client, every balance checked to the
 * wei: factory, create, deposit, vouchers, startRedemption, T_r, finishRedemption, withdraw, requestClose,
 * T_c, close — for ether and for an ERC-20.
 */
class ChannelLifecycleTest extends DeployedFactoryTestBase {
    static final Duration T_R = Duration.ofSeconds(60);
    static final Duration T_C = Duration.ofSeconds(900);
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);

    static Credentials owner;
    static Credentials signer;
    static Credentials payout;
    static Credentials operator;

    @BeforeAll
    static void deploy() {
        owner = chain.account(1);
        signer = chain.account(2);
        payout = chain.account(3);
        operator = chain.account(4);
    }

    static ChannelTerms terms(Optional<String> token) {
        return new ChannelTerms(
                owner.getAddress(),
                signer.getAddress(),
                payout.getAddress(),
                operator.getAddress(),
                token,
                PRICES,
                T_R,
                T_C);
    }

    static SignedVoucher voucher(ChannelClient channel, long epoch, int category, long count) {
        byte[] digest = VoucherSignatures.voucherDigest(
                AnvilNode.CHAIN_ID, channel.address(), epoch, category, count, PRICES.hash());
        return new SignedVoucher(category, count, count, VoucherSignatures.sign(digest, signer.getEcKeyPair()));
    }

    /** What a transaction cost its sender: gas used × effective gas price. */
    static BigInteger fee(TransactionReceipt receipt) {
        return receipt.getGasUsed().multiply(Numeric.decodeQuantity(receipt.getEffectiveGasPrice()));
    }

    @Test
    void etherChannelPaysTheProviderAndRefundsTheConsumerToTheWei() {
        Wei deposit = new Wei(new BigInteger("50000000000000000")); // 0.05 ether
        BigInteger ownerStart = chain.balance(owner.getAddress());
        BigInteger payoutStart = chain.balance(payout.getAddress());

        var asOwner = FactoryClient.create(
                chain.web3j(), chain.transactionManager(1), deployment.factory(), terms(Optional.empty()), deposit);
        // creation's fee: the owner's balance change less the deposit
        BigInteger ownerFees =
                ownerStart.subtract(chain.balance(owner.getAddress())).subtract(deposit.value());
        assertThat(chain.balance(asOwner.address())).isEqualTo(deposit.value());
        ownerFees = ownerFees.add(fee(asOwner.depositEther(Wei.of(7))));
        Wei funded = deposit.plus(Wei.of(7));

        var asOperator = new ChannelClient(
                chain.web3j(), asOwner.address(), chain.transactionManager(4), BigInteger.TEN.pow(12));
        var vouchers = List.of(voucher(asOwner, 1, 0, 1200), voucher(asOwner, 1, 1, 345));
        asOperator.startRedemption(PRICES);
        assertThatThrownBy(() -> asOperator.finishRedemption(1, vouchers))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("ToleranceNotOver"))
                .hasMessageContaining("finishRedemption reverted: ToleranceNotOver(until=");
        chain.increaseTime(T_R);
        asOperator.finishRedemption(1, vouchers);

        Wei earned = PRICES.exposure(new long[] {1200, 345});
        ChannelState state = asOwner.state();
        assertThat(state.earnings()).isEqualTo(earned);
        assertThat(state.unredeemed()).isEqualTo(funded.minus(earned));
        assertThat(state.activeEpoch()).isEqualTo(2);
        assertThat(asOwner.redeemedCounts(1)).containsExactly(1200L, 345L);

        // withdraw sent by a third party: payout's balance grows by exactly the earnings
        new ChannelClient(chain.web3j(), asOwner.address(), chain.transactionManager(5), BigInteger.TEN.pow(12))
                .withdraw();
        assertThat(chain.balance(payout.getAddress())).isEqualTo(payoutStart.add(earned.value()));

        ownerFees = ownerFees.add(fee(asOwner.requestClose()));
        assertThatThrownBy(asOwner::close)
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("CloseNotDue"));
        chain.increaseTime(T_C);
        ownerFees = ownerFees.add(fee(asOwner.close()));

        assertThat(chain.balance(asOwner.address())).isZero();
        assertThat(asOwner.state().closed()).isTrue();
        assertThat(chain.balance(owner.getAddress()))
                .isEqualTo(ownerStart.subtract(earned.value()).subtract(ownerFees));
    }

    @Test
    void tokenChannelMovesExactTokenAmounts() throws Exception {
        var gas = new DefaultGasProvider();
        var token = DemoToken.deploy(chain.web3j(), chain.transactionManager(0), gas)
                .send();
        var asOwnerToken = DemoToken.load(token.getContractAddress(), chain.web3j(), chain.transactionManager(1), gas);
        BigInteger minted = new BigInteger("1000000000000000000000");
        asOwnerToken.faucet(minted).send();

        var asOwner = FactoryClient.create(
                chain.web3j(),
                chain.transactionManager(1),
                deployment.factory(),
                terms(Optional.of(token.getContractAddress())),
                Wei.ZERO);
        Wei deposit = Wei.parse("3000000000000000000");
        asOwner.depositToken(token.getContractAddress(), deposit);
        assertThat(token.balanceOf(asOwner.address()).send()).isEqualTo(deposit.value());

        var asOperator = new ChannelClient(
                chain.web3j(), asOwner.address(), chain.transactionManager(4), BigInteger.TEN.pow(12));
        var vouchers = List.of(voucher(asOwner, 1, 1, 77));
        asOperator.startRedemption(PRICES);
        chain.increaseTime(T_R);
        asOperator.finishRedemption(1, vouchers);
        asOperator.withdraw();

        Wei earned = PRICES.cost(1, 77);
        assertThat(token.balanceOf(payout.getAddress()).send()).isEqualTo(earned.value());
        asOwner.requestClose();
        chain.increaseTime(T_C);
        asOwner.close();
        assertThat(token.balanceOf(owner.getAddress()).send()).isEqualTo(minted.subtract(earned.value()));
        assertThat(token.balanceOf(asOwner.address()).send()).isZero();
    }

    @Test
    void javaDigestsMatchTheContractsView() {
        var channel = FactoryClient.create(
                chain.web3j(), chain.transactionManager(1), deployment.factory(), terms(Optional.empty()), Wei.of(1));
        for (long count : new long[] {1, 42, Long.MAX_VALUE}) {
            assertThat(VoucherSignatures.voucherDigest(
                            AnvilNode.CHAIN_ID, channel.address(), 1, 1, count, PRICES.hash()))
                    .isEqualTo(channel.voucherDigest(1, 1, count, PRICES.hash()));
        }
    }
}
