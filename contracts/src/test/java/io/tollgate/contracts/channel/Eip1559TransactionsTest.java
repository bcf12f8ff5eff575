package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * On anvil (which has a base fee): the channel client's redemption transactions are EIP-1559 (type 2) with the
 * fee cap the chain's own fee history gives (2 × base fee + the median tip of the last blocks), lowered to the
 * ceiling; nothing is sent when the base fee is above the ceiling. Prints the gas each redemption used
 * (receipts: execution, calldata and the 21 000 base) for k = 1 and k = 4 categories.
 */
class Eip1559TransactionsTest extends DeployedFactoryTestBase {
    static final Duration T_R = Duration.ofSeconds(60);
    static final Duration T_C = Duration.ofSeconds(900);

    static Credentials signer;

    @BeforeAll
    static void deploy() {
        signer = chain.account(2);
    }

    static PriceTable prices(int k) {
        return PriceTable.of(
                LongStream.range(0, k).map(c -> 1_000_000_000_000L * (c + 1)).toArray());
    }

    static ChannelClient open(PriceTable prices) {
        var terms = OnChainFixtures.terms(chain, signer.getAddress(), prices, T_R, T_C);
        return FactoryClient.create(
                chain.web3j(),
                chain.transactionManager(1),
                deployment.factory(),
                terms,
                new Wei(new BigInteger("50000000000000000")));
    }

    static ChannelClient asOperator(ChannelClient channel, Wei ceiling) {
        return new ChannelClient(
                chain.web3j(),
                channel.address(),
                chain.transactionManager(4),
                FeeEstimator.uncached(chain.web3j(), ceiling));
    }

    static List<SignedVoucher> vouchers(ChannelClient channel, PriceTable prices, long epoch) {
        var vouchers = new ArrayList<SignedVoucher>();
        for (int category = 0; category < prices.categories(); category++) {
            long count = 100 + category;
            byte[] digest = VoucherSignatures.voucherDigest(
                    AnvilNode.CHAIN_ID, channel.address(), epoch, category, count, prices.hash());
            vouchers.add(
                    new SignedVoucher(category, count, count, VoucherSignatures.sign(digest, signer.getEcKeyPair())));
        }
        return vouchers;
    }

    static Transaction transaction(TransactionReceipt receipt) throws IOException {
        return chain.web3j()
                .ethGetTransactionByHash(receipt.getTransactionHash())
                .send()
                .getTransaction()
                .orElseThrow();
    }

    static BigInteger baseFeeOf(BigInteger block) throws IOException {
        return chain.web3j()
                .ethGetBlockByNumber(DefaultBlockParameter.valueOf(block), false)
                .send()
                .getBlock()
                .getBaseFeePerGas();
    }

    /** The fee history as the node reported it just before {@code block} was mined. */
    static EthFeeHistory.FeeHistory historyBefore(BigInteger block) throws IOException {
        return chain.web3j()
                .ethFeeHistory(
                        FeeEstimator.BLOCKS,
                        DefaultBlockParameter.valueOf(block.subtract(BigInteger.ONE)),
                        List.of(FeeEstimator.PERCENTILE))
                .send()
                .getFeeHistory();
    }

    /** The base fee the next block will have. */
    static BigInteger nextBaseFee() throws IOException {
        return chain.web3j()
                .ethFeeHistory(1, DefaultBlockParameterName.LATEST, List.of())
                .send()
                .getFeeHistory()
                .getBaseFeePerGas()
                .getLast();
    }

    /** Type 2, tip = the median of the history before its block, cap = 2 × its block's base fee + tip. */
    static void assertAtTheFeeCap(TransactionReceipt receipt) throws IOException {
        var tx = transaction(receipt);
        assertThat(tx.getType()).isEqualTo("0x2");
        BigInteger base = baseFeeOf(receipt.getBlockNumber());
        BigInteger tip = FeeEstimator.medianTip(historyBefore(receipt.getBlockNumber()))
                .orElseThrow()
                .value();
        assertThat(tx.getMaxPriorityFeePerGas()).isEqualTo(tip);
        assertThat(tx.getMaxFeePerGas()).isEqualTo(base.shiftLeft(1).add(tip));
    }

    @Test
    void redemptionTransactionsAreType2AtTwiceTheBaseFeePlusTheMedianTip() throws IOException {
        for (int k : new int[] {1, 4}) {
            var prices = prices(k);
            var channel = open(prices);
            var operator = asOperator(channel, Wei.of(100_000_000_000L));

            TransactionReceipt start = operator.startRedemption(prices);
            assertAtTheFeeCap(start);
            chain.increaseTime(T_R);
            TransactionReceipt finish = operator.finishRedemption(1, vouchers(channel, prices, 1));
            assertAtTheFeeCap(finish);
            assertThat(channel.redeemedCounts(1)).hasSize(k);

            System.out.printf(
                    "redemption gas (receipts) k=%d: startRedemption %s + finishRedemption %s = %s%n",
                    k,
                    start.getGasUsed(),
                    finish.getGasUsed(),
                    start.getGasUsed().add(finish.getGasUsed()));
        }
    }

    @Test
    void aCeilingBetweenTheBaseFeeAndTheCapLowersTheCapAndTheTip() throws IOException {
        var prices = prices(1);
        var channel = open(prices);
        BigInteger base = nextBaseFee();
        var operator = asOperator(channel, new Wei(base.add(BigInteger.ONE)));

        var tx = transaction(operator.startRedemption(prices));

        assertThat(tx.getType()).isEqualTo("0x2");
        assertThat(tx.getMaxFeePerGas()).isEqualTo(base.add(BigInteger.ONE));
        assertThat(tx.getMaxPriorityFeePerGas()).isLessThanOrEqualTo(tx.getMaxFeePerGas());
    }

    @Test
    void aBaseFeeAboveTheCeilingSendsNothing() throws IOException {
        var prices = prices(1);
        var channel = open(prices);
        BigInteger base = nextBaseFee();
        var operator = asOperator(channel, new Wei(base.subtract(BigInteger.ONE)));
        String from = chain.account(4).getAddress();
        BigInteger nonce = chain.web3j()
                .ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)
                .send()
                .getTransactionCount();

        assertThatThrownBy(() -> operator.startRedemption(prices))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("above the ceiling");
        assertThat(chain.web3j()
                        .ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)
                        .send()
                        .getTransactionCount())
                .isEqualTo(nonce);
    }
}
