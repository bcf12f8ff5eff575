package io.tollgate.gateway.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.contracts.channel.Fees;
import io.tollgate.contracts.testing.TestClock;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.RealRedisLedger;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.chain.TestChain;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/**
 * Three replicas' schedulers step the same channels over and over at once, and every contract call takes four
 * times the lease (a slow chain: a transaction waits for its receipt). Exactly one replica may send each
 * channel's {@code startRedemption} and {@code finishRedemption}: a lease that expires while its holder is
 * still waiting for the chain would let a second replica send them again.
 */
class RedemptionLeaseTest {

    private static final Duration T_R = Duration.ofSeconds(60);
    private static final Duration LEASE = Duration.ofMillis(300);
    private static final Duration CHAIN_CALL = LEASE.multipliedBy(4);
    private static final String PREFIX = "tollgate-test";
    private static final PriceTable PRICES = PriceTable.of(10, 25);

    @RegisterExtension
    static final RealRedisLedger redis = new RealRedisLedger(PREFIX);

    /** The stand-in contract behind a slow node; counts every call that reaches it, per channel. */
    static final class SlowChain implements RedemptionChain {
        final RedemptionSchedulerTest.ContractStandIn contract;
        final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> finishes = new ConcurrentHashMap<>();

        SlowChain(RedemptionSchedulerTest.ContractStandIn contract) {
            this.contract = contract;
        }

        @Override
        public Mono<Fees> fees() {
            return contract.fees();
        }

        @Override
        public Mono<String> startRedemption(String channel, PriceTable next) {
            starts.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
            return Mono.delay(CHAIN_CALL).then(contract.startRedemption(channel, next));
        }

        @Override
        public Mono<String> finishRedemption(String channel, long epoch, List<PaidVoucher> vouchers) {
            finishes.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
            return Mono.delay(CHAIN_CALL).then(contract.finishRedemption(channel, epoch, vouchers));
        }
    }

    private final TestClock clock = new TestClock();
    private final TestChain chain = new TestChain();
    private final SlowChain slow = new SlowChain(new RedemptionSchedulerTest.ContractStandIn(chain, clock));
    private final ChannelStateCache uncached = chain::read;
    private final RedemptionJournal journal = new RedemptionJournal(TestDatabase.migrated());

    private RedemptionScheduler replica() {
        return new RedemptionScheduler(
                uncached,
                slow,
                journal,
                redis.ledger(),
                new RedemptionLease(redis.template(), PREFIX, LEASE),
                new RedemptionProperties(5000, Duration.ofMillis(50), LEASE),
                T_R,
                clock);
    }

    private ChannelState openAndPay() {
        var state = TestChain.openInEpochOne(TestVouchers.SIGNER.getAddress(), PRICES, Wei.of(1000), Optional.empty());
        chain.put(state);
        String header = TestVouchers.header(TestVouchers.SIGNER, 31337, state.channel(), 1, 1, 30, PRICES.hash());
        var outcome = redis.ledger()
                .record(new LedgerEntry(state.channel(), 1, 1, 30, PRICES.price(1), Wei.of(1000), 1, header))
                .block();
        assertThat(outcome).isInstanceOf(LedgerOutcome.Accepted.class); // 750 of 1000: past the 50 % share
        return state;
    }

    @Test
    void exactlyOneReplicaRedeemsAChannelEvenWhenAChainCallOutlastsTheLease() throws InterruptedException {
        List<String> channels =
                IntStream.range(0, 3).mapToObj(i -> openAndPay().channel()).toList();
        var running = new AtomicBoolean(true);
        var rounds = new ArrayList<AtomicInteger>();
        var threads = new ArrayList<Thread>();
        for (int r = 0; r < 3; r++) {
            var scheduler = replica();
            var done = new AtomicInteger();
            rounds.add(done);
            threads.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    for (String channel : channels) {
                        scheduler.step(channel).onErrorResume(e -> Mono.empty()).block(Duration.ofMinutes(1));
                    }
                    done.incrementAndGet();
                }
            }));
        }
        try {
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> channels.stream()
                            .allMatch(c -> journal.open(c)
                                    .block()
                                    .map(s -> s.phase() == RedemptionJournal.Phase.STARTED)
                                    .orElse(false)));
            clock.advance(T_R.plusSeconds(1));
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> channels.stream()
                            .allMatch(c -> journal.open(c).block().isEmpty()));
            // every replica goes over every channel a few more times: nothing more may be sent
            int[] seen = rounds.stream().mapToInt(AtomicInteger::get).toArray();
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> IntStream.range(0, seen.length)
                            .allMatch(i -> rounds.get(i).get() >= seen[i] + 3));
        } finally {
            running.set(false);
            for (var thread : threads) {
                thread.join(Duration.ofMinutes(1));
            }
        }
        for (String channel : channels) {
            assertThat(slow.starts.get(channel))
                    .as("startRedemption calls of " + channel)
                    .hasValue(1);
            assertThat(slow.finishes.get(channel))
                    .as("finishRedemption calls of " + channel)
                    .hasValue(1);
        }
        assertThat(slow.contract.earned.get()).isEqualTo(Wei.of(750 * 3));
    }

    @Test
    void oneOwnerHoldsAChannelsLeaseUntilItReleasesItOrItsTtlPasses() {
        String channel = RealRedis.randomChannel();
        var first = new RedemptionLease(redis.template(), PREFIX, Duration.ofMillis(500));
        var second = new RedemptionLease(redis.template(), PREFIX, Duration.ofMillis(500));
        assertThat(first.owner()).isNotEqualTo(second.owner());

        assertThat(first.acquire(channel).block()).isTrue();
        assertThat(second.acquire(channel).block()).isFalse();
        assertThat(first.acquire(channel).block()).as("renewed by its owner").isTrue();
        assertThat(second.release(channel).block())
                .as("another owner's lease is left alone")
                .isFalse();
        assertThat(second.acquire(channel).block()).isFalse();
        assertThat(first.release(channel).block()).isTrue();
        assertThat(second.acquire(channel).block()).as("free once released").isTrue();
        // the second owner is gone without releasing it: the first takes it once its TTL passed
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> first.acquire(channel).block());
    }
}
