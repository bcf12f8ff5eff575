package io.tollgate.gateway.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.contracts.channel.FeeEstimator;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.redemption.RedemptionScheduler.Outcome;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * The scheduler with the operator's real chain client on anvil: a channel far below its exposure share is not
 * redeemed while its value is less than 20 × the redemption's gas at the chain's own fees (eth_feeHistory), and is
 * redeemed (WORTH_IT) once it is more; both transactions are EIP-1559 with maxFeePerGas = 2 × their block's base
 * fee + the tip, and the provider is paid to the wei what its vouchers are worth.
 */
class RedemptionWorthItsGasOnChainTest extends OnChainRedemptionTestBase {
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final Duration T_R = Duration.ofSeconds(10);
    static final Wei DEPOSIT = Wei.parse("1000000000000000000"); // 1 ether
    static final BigInteger CEILING = BigInteger.TEN.pow(11);

    private RedemptionScheduler scheduler() {
        return OperatorScheduler.on(chain, deployment, clock)
                .timing(T_R, Duration.ofSeconds(2), T_R.minusSeconds(2))
                .build(ledger, redis.template(), prefix);
    }

    private static void pay(String channel, long count) {
        var outcome = ledger.record(new LedgerEntry(
                        channel,
                        1,
                        1,
                        count,
                        PRICES.price(1),
                        DEPOSIT,
                        1,
                        TestVouchers.header(
                                TestVouchers.SIGNER, AnvilNode.CHAIN_ID, channel, 1, 1, count, PRICES.hash())))
                .block();
        assertThat(outcome).isInstanceOf(LedgerOutcome.Accepted.class);
    }

    @Test
    void aChannelIsRedeemedOnceItsValueIsWorthItsGasWithEip1559TransactionsAndPaysTheProviderToTheWei()
            throws Exception {
        var channel = OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(
                        chain, TestVouchers.SIGNER.getAddress(), PRICES, T_R, ChannelTimes.minimumCloseDelay(T_R)),
                DEPOSIT);
        String address = channel.address().toLowerCase(Locale.ROOT);
        var scheduler = scheduler();

        // what 20 × the gas of a redemption costs at the chain's fees now (no block is mined until the start)
        Wei perGas =
                FeeEstimator.uncached(chain.web3j(), new Wei(CEILING)).fresh().perGas();
        BigInteger worthIt = perGas.value()
                .multiply(BigInteger.valueOf(RedemptionProperties.Gas.DEFAULTS.twoPhase(PRICES.categories())))
                .multiply(BigInteger.valueOf(20));
        BigInteger price = PRICES.price(1).value();
        long below = worthIt.divide(price).longValueExact() / 2;
        long above = worthIt.divide(price).longValueExact() * 3 / 2;
        assertThat(PRICES.cost(1, above).value())
                .as("still far below the 50 % exposure share")
                .isLessThan(DEPOSIT.value().divide(BigInteger.TEN));

        pay(address, below);
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.NOTHING_DUE);
        pay(address, above);
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.STARTED);
        advance(T_R.plusSeconds(1));
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.FINISHED);

        var journaled = journaled(address);
        assertThat(journaled.reason()).isEqualTo("WORTH_IT");
        assertAtTheFeeCap(journaled.startTx());
        assertAtTheFeeCap(journaled.finishTx());

        Wei earned = PRICES.cost(1, above);
        assertThat(channel.state().earnings()).isEqualTo(earned);
        assertThat(channel.state().unredeemed()).isEqualTo(DEPOSIT.minus(earned));
        BigInteger payoutBefore = chain.balance(chain.account(3).getAddress());
        new ChannelClient(chain.web3j(), channel.address(), chain.transactionManager(5), CEILING).withdraw();
        assertThat(chain.balance(chain.account(3).getAddress())).isEqualTo(payoutBefore.add(earned.value()));
    }

    record Journaled(String reason, String startTx, String finishTx) {}

    private static Journaled journaled(String channel) throws SQLException {
        try (var connection = TestDatabase.migrated().getConnection();
                var query = connection.prepareStatement(
                        "SELECT reason, start_tx, finish_tx FROM gateway_redemption WHERE channel = ? AND epoch = 1")) {
            query.setString(1, channel);
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).as("journaled").isTrue();
                return new Journaled(rows.getString(1), rows.getString(2), rows.getString(3));
            }
        }
    }

    /** Type 2; tip = the median tip of the blocks before its own; cap = 2 × its block's base fee + tip. */
    private static void assertAtTheFeeCap(String hash) throws IOException {
        var web3j = chain.web3j();
        Transaction tx =
                web3j.ethGetTransactionByHash(hash).send().getTransaction().orElseThrow();
        assertThat(tx.getType()).isEqualTo("0x2");
        BigInteger block = tx.getBlockNumber();
        BigInteger base = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(block), false)
                .send()
                .getBlock()
                .getBaseFeePerGas();
        var history = web3j.ethFeeHistory(
                        FeeEstimator.BLOCKS,
                        DefaultBlockParameter.valueOf(block.subtract(BigInteger.ONE)),
                        List.of(FeeEstimator.PERCENTILE))
                .send()
                .getFeeHistory();
        BigInteger tip = FeeEstimator.medianTip(history).orElseThrow().value();
        assertThat(tx.getMaxPriorityFeePerGas()).isEqualTo(tip);
        assertThat(tx.getMaxFeePerGas()).isEqualTo(base.shiftLeft(1).add(tip).min(CEILING));
    }
}
