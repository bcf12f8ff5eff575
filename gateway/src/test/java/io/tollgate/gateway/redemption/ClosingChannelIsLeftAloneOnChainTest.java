package io.tollgate.gateway.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.redemption.RedemptionScheduler.Outcome;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The scheduler against anvil (time moved with {@code evm_increaseTime}, the scheduler's clock moved with
 * it): a channel whose close was requested gets its last epoch redeemed once, and from then on the scheduler
 * sends nothing and reads nothing from the chain for it, however many ticks pass (the demo logged "starting
 * redemption … CLOSE_REQUESTED" and read the chain every 5 s until the close).
 */
class ClosingChannelIsLeftAloneOnChainTest extends OnChainRedemptionTestBase {
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final Duration T_R = Duration.ofSeconds(10);

    static final AtomicInteger rpcCalls = new AtomicInteger();
    static Web3j counted;

    @BeforeAll
    static void start() {
        counted = Web3j.build(new HttpService(chain.rpcUrl()) {
            @Override
            protected InputStream performIO(String request) throws IOException {
                rpcCalls.incrementAndGet();
                return super.performIO(request);
            }
        });
    }

    @AfterAll
    static void stop() {
        counted.shutdown();
    }

    private RedemptionScheduler scheduler() {
        // the configured T_r left at 60 s: the channel's own (10 s) must rule
        return OperatorScheduler.on(chain, deployment, clock).through(counted).build(ledger, redis.template(), prefix);
    }

    @Test
    void afterTheLastEpochOfAClosingChannelIsRedeemedTheSchedulerSendsAndReadsNothingMore() {
        var channel = OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(
                        chain, TestVouchers.SIGNER.getAddress(), PRICES, T_R, ChannelTimes.minimumCloseDelay(T_R)),
                Wei.parse("20000000000000"));
        String address = channel.address().toLowerCase(java.util.Locale.ROOT);
        var outcome = ledger.record(new LedgerEntry(
                        address,
                        1,
                        1,
                        3,
                        PRICES.price(1),
                        Wei.parse("20000000000000"),
                        1,
                        TestVouchers.header(TestVouchers.SIGNER, AnvilNode.CHAIN_ID, address, 1, 1, 3, PRICES.hash())))
                .block();
        assertThat(outcome).isInstanceOf(LedgerOutcome.Accepted.class);
        channel.requestClose();

        var scheduler = scheduler();
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.STARTED);
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.WAITING_FOR_TOLERANCE);
        advance(T_R.plusSeconds(1));
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.FINISHED);
        assertThat(channel.state().earnings()).isEqualTo(PRICES.cost(1, 3));

        int callsAfterLastFinish = rpcCalls.get();
        for (int tick = 0; tick < 20; tick++) { // the rest of T_c, tick by tick
            advance(Duration.ofSeconds(2));
            assertThat(scheduler.step(address).block()).isEqualTo(Outcome.LAST_EPOCH_REDEEMED);
        }
        assertThat(rpcCalls.get()).as("chain calls after the last finish").isEqualTo(callsAfterLastFinish);

        // a restarted gateway recognises it from its journal after one read, and then leaves it alone too
        // (the old process is gone and its lease expired)
        redis.template().delete(prefix + ":{" + address + "}:redemption-lease").block();
        var restarted = scheduler();
        assertThat(restarted.step(address).block()).isEqualTo(Outcome.LAST_EPOCH_REDEEMED);
        int afterRestart = rpcCalls.get();
        advance(Duration.ofSeconds(10));
        assertThat(restarted.step(address).block()).isEqualTo(Outcome.LAST_EPOCH_REDEEMED);
        assertThat(rpcCalls.get()).isEqualTo(afterRestart);
    }
}
