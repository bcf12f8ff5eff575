package io.tollgate.gateway.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.Fees;
import io.tollgate.contracts.testing.TestClock;
import io.tollgate.gateway.RealRedisLedger;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.chain.TestChain;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.redemption.RedemptionScheduler.Outcome;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

class RedemptionSchedulerTest {

    private static final Duration T_R = Duration.ofSeconds(60);
    private static final String PREFIX = "tollgate-test";
    private static final PriceTable PRICES = PriceTable.of(10, 25);

    @RegisterExtension
    static final RealRedisLedger redis = new RealRedisLedger(PREFIX);

    /** The Intermediary's two redemption calls acting on the test chain's state, as the contract does. */
    static final String OPERATOR = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";

    static final class ContractStandIn implements RedemptionChain {
        final TestChain chain;
        final TestClock clock;
        final AtomicInteger starts = new AtomicInteger();
        final List<List<PaidVoucher>> finishes = new ArrayList<>();
        final AtomicReference<Wei> earned = new AtomicReference<>(Wei.ZERO);
        /** 1 wei per gas: a redemption (≈ 330 000 gas) is never worth it for these deposits of 1000 wei. */
        final AtomicReference<Fees> fees = new AtomicReference<>(new Fees.Legacy(Wei.of(1)));

        final AtomicInteger feeReads = new AtomicInteger();

        ContractStandIn(TestChain chain, TestClock clock) {
            this.chain = chain;
            this.clock = clock;
        }

        ChannelState state(String channel) {
            return ((ChannelLookup.Found) chain.read(channel).block()).state();
        }

        @Override
        public Optional<String> operatorAddress() {
            return Optional.of(OPERATOR);
        }

        @Override
        public Mono<Fees> fees() {
            return Mono.fromCallable(() -> {
                feeReads.incrementAndGet();
                return fees.get();
            });
        }

        @Override
        public Mono<String> startRedemption(String channel, PriceTable next) {
            return Mono.fromCallable(() -> {
                var s = state(channel);
                if (!s.operator().equals(OPERATOR)) {
                    throw new IllegalStateException("reverted: NotOperator");
                }
                var epochs = new HashMap<>(s.epochs());
                long e = s.activeEpoch();
                epochs.put(
                        e,
                        new EpochTerms(
                                e,
                                epochs.get(e).table(),
                                Optional.of(clock.instant().plus(T_R))));
                long nextEpoch = s.closesAt().isPresent() ? e : e + 1;
                if (nextEpoch != e) {
                    epochs.put(nextEpoch, new EpochTerms(nextEpoch, next, Optional.empty()));
                }
                chain.put(TestChain.stepped(
                        channel, s, nextEpoch, epochs, s.unredeemedDeposit(), s.oldestUnredeemedEpoch()));
                starts.incrementAndGet();
                return tx(1);
            });
        }

        @Override
        public Mono<String> finishRedemption(String channel, long epoch, List<PaidVoucher> vouchers) {
            return Mono.fromCallable(() -> {
                var s = state(channel);
                var terms = s.terms(epoch).orElseThrow();
                if (clock.instant().isBefore(terms.expiresAt().orElseThrow())) {
                    throw new IllegalStateException("reverted: tolerance not over");
                }
                Wei value = vouchers.stream()
                        .map(v -> terms.table()
                                .cost(v.voucher().category(), v.voucher().count()))
                        .reduce(Wei.ZERO, Wei::plus)
                        .min(s.unredeemedDeposit());
                var epochs = new HashMap<>(s.epochs());
                epochs.remove(epoch);
                chain.put(TestChain.stepped(
                        channel,
                        s,
                        s.activeEpoch(),
                        epochs,
                        s.unredeemedDeposit().minus(value),
                        epoch + 1));
                earned.updateAndGet(w -> w.plus(value));
                finishes.add(vouchers);
                return tx(2);
            });
        }

        private static String tx(int n) {
            return "0x" + HexFormat.of().formatHex(new byte[31]) + String.format("%02x", n);
        }
    }

    private final TestClock clock = new TestClock();
    private final TestChain chain = new TestChain();
    private final ContractStandIn contract = new ContractStandIn(chain, clock);
    private final ChannelStateCache uncached = chain::read;
    private final RedemptionJournal journal = new RedemptionJournal(TestDatabase.migrated());

    private RedemptionScheduler scheduler() {
        return scheduler(T_R);
    }

    private RedemptionScheduler scheduler(Duration configuredTolerance) {
        return new RedemptionScheduler(
                uncached,
                contract,
                journal,
                redis.ledger(),
                new RedemptionLease(redis.template(), PREFIX, Duration.ofSeconds(30)),
                new RedemptionProperties(5000, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                configuredTolerance,
                clock);
    }

    private ChannelState open(long deposit, Optional<Instant> closesAt) {
        var state = TestChain.openInEpochOne(TestVouchers.SIGNER.getAddress(), PRICES, Wei.of(deposit), closesAt);
        chain.put(state);
        return state;
    }

    private void pay(ChannelState state, int category, long count) {
        String header =
                TestVouchers.header(TestVouchers.SIGNER, 31337, state.channel(), 1, category, count, PRICES.hash());
        var outcome = redis.ledger()
                .record(new LedgerEntry(
                        state.channel(),
                        1,
                        category,
                        count,
                        PRICES.price(category),
                        state.unredeemedDeposit(),
                        1,
                        header))
                .block();
        assertThat(outcome).isInstanceOf(LedgerOutcome.Accepted.class);
    }

    @Test
    void redeemsInTwoPhasesOnceExposurePassesTheShareAndClaimsTheBestVouchers() {
        var channel = open(1000, Optional.empty());
        var scheduler = scheduler();
        pay(channel, 0, 10);
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        pay(channel, 0, 30);
        pay(channel, 0, 29);
        pay(channel, 1, 10); // exposure 30×10 + 10×25 = 550 ≥ 50 % of 1000

        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.STARTED);
        assertThat(contract.starts).hasValue(1);
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.WAITING_FOR_TOLERANCE);

        clock.advance(T_R.plusSeconds(1));
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.FINISHED);
        assertThat(contract.finishes).hasSize(1);
        assertThat(contract.finishes.getFirst())
                .extracting(v -> v.voucher().category(), v -> v.voucher().count())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 30L), org.assertj.core.groups.Tuple.tuple(1, 10L));
        assertThat(contract.earned.get()).isEqualTo(Wei.of(550));
        assertThat(contract.state(channel.channel()).unredeemedDeposit()).isEqualTo(Wei.of(450));
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
    }

    @Test
    void aChannelNamingAnotherOperatorIsNotRedeemedByThisKeyNorRetried() {
        var named = open(1000, Optional.empty());
        var elsewhere = naming(named, "0x976ea74026e726554db657fa54763abd0c3a0aa9");
        chain.put(elsewhere);
        pay(elsewhere, 0, 90); // 90 % of the deposit: due
        var scheduler = scheduler();

        assertThat(scheduler.step(named.channel()).block()).isEqualTo(Outcome.NOT_OPERATOR);
        assertThat(scheduler.step(named.channel()).block()).isEqualTo(Outcome.NOT_OPERATOR);
        assertThat(contract.starts).hasValue(0);

        // the same channel naming this gateway's key is redeemed
        chain.put(naming(named, OPERATOR));
        assertThat(scheduler.step(named.channel()).block()).isEqualTo(Outcome.STARTED);
        assertThat(contract.starts).hasValue(1);
    }

    private static ChannelState naming(ChannelState s, String operator) {
        return new ChannelState(
                s.channel(),
                s.chainId(),
                s.factory(),
                s.provider(),
                s.signer(),
                s.activeEpoch(),
                s.epochs(),
                s.unredeemedDeposit(),
                s.oldestUnredeemedEpoch(),
                s.closesAt(),
                s.closed(),
                new ChannelState.Parties(s.owner(), s.token(), operator, s.redeemWindow(), s.closeDelay()));
    }

    @Test
    void waitsForTheChannelsOwnToleranceWhenItIsLongerThanTheConfiguredOne() {
        var channel = open(1000, Optional.empty());
        var scheduler = scheduler(T_R.dividedBy(2)); // the chain's T_r is twice what this gateway assumes
        pay(channel, 1, 30); // 750 ≥ 50 %
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.STARTED);

        clock.advance(T_R.dividedBy(2).plusSeconds(1));
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.WAITING_FOR_TOLERANCE);
        assertThat(contract.finishes).isEmpty();

        clock.advance(T_R.dividedBy(2));
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.FINISHED);
        assertThat(contract.earned.get()).isEqualTo(Wei.of(750));
    }

    @Test
    void aRestartedGatewayFinishesARedemptionWhoseStartWasSentButNotJournaled() {
        var channel = open(1000, Optional.empty());
        pay(channel, 1, 30); // 750
        // the previous process journaled its intent and sent startRedemption, then died
        journal.intend(channel.channel(), 1, RedemptionDecision.Reason.EXPOSURE_SHARE, clock.instant())
                .block();
        contract.startRedemption(channel.channel(), PRICES).block();

        var restarted = scheduler();
        assertThat(restarted.step(channel.channel()).block()).isEqualTo(Outcome.STARTED);
        assertThat(contract.starts).as("no second start").hasValue(1);
        clock.advance(T_R);
        assertThat(restarted.step(channel.channel()).block()).isEqualTo(Outcome.FINISHED);
        assertThat(contract.earned.get()).isEqualTo(Wei.of(750));
    }

    @Test
    void aFinishThatReachedTheChainWithoutItsReceiptIsJournaledNotSentAgain() {
        var channel = open(1000, Optional.empty());
        pay(channel, 1, 30); // 750: due
        var scheduler = scheduler();
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.STARTED);
        clock.advance(T_R.plusSeconds(1));
        // the finish is mined, but the connection broke before its receipt came back
        contract.finishRedemption(
                        channel.channel(),
                        1,
                        scheduler.bestVouchers(channel.channel(), 1).block())
                .block();

        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.FINISHED);
        assertThat(contract.finishes).as("no second finish").hasSize(1);
        assertThat(journal.open(channel.channel()).block()).isEmpty();
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
    }

    @Test
    void aRequestedCloseStartsTheLastRedemptionAtOnce() {
        var channel = open(1000, Optional.of(clock.instant().plus(Duration.ofMinutes(15))));
        pay(channel, 0, 1); // far below the share
        assertThat(scheduler().step(channel.channel()).block()).isEqualTo(Outcome.STARTED);
    }

    @Test
    void aSmallExposureIsNotRedeemedOnATimerButOnceItWaitedTheMaximumAge() {
        var channel = open(1000, Optional.empty());
        var scheduler = scheduler();
        pay(channel, 0, 1); // 10 wei: far below the share and its gas
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        clock.advance(Duration.ofHours(1)); // the old timer's interval
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        clock.advance(Duration.ofHours(22).plusMinutes(59));
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        clock.advance(Duration.ofMinutes(1)); // 24 h: the safety net
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.STARTED);
        assertThat(reason(channel, 1)).isEqualTo("MAX_AGE");
    }

    @Test
    void aChannelWithNothingToClaimIsNeverRedeemedAndItsFeesAreNotEvenRead() {
        var channel = open(1000, Optional.empty());
        var scheduler = scheduler();
        clock.advance(Duration.ofDays(3));
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        assertThat(contract.starts).hasValue(0);
        assertThat(contract.feeReads).hasValue(0);
    }

    @Test
    void aValueWorthItsGasIsRedeemedBelowTheExposureShareAndWaitsWhileGasIsDear() {
        var channel = open(1_000_000_000_000L, Optional.empty()); // a large deposit: the share is far off
        var scheduler = scheduler();
        long gas = RedemptionProperties.Gas.DEFAULTS.twoPhase(PRICES.categories()); // 329 478
        // 1 wei per gas: worth it from 20 × 329 478 = 6 589 560 wei on
        pay(channel, 1, 263_582); // 6 589 550 wei: 10 short
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        pay(channel, 0, 1); // + 10 wei
        contract.fees.set(new Fees.Legacy(Wei.of(2))); // the fee doubled: not worth it any more
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        contract.fees.set(new Fees.Eip1559(Wei.of(1), Wei.ZERO, Wei.of(2))); // 1 wei per gas again
        assertThat(gas * 20).isEqualTo(6_589_560L);
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.STARTED);
        assertThat(reason(channel, 1)).isEqualTo("WORTH_IT");
        clock.advance(T_R);
        assertThat(scheduler.step(channel.channel()).block()).isEqualTo(Outcome.FINISHED);
        assertThat(contract.earned.get()).isEqualTo(Wei.of(6_589_560));
    }

    private String reason(ChannelState channel, long epoch) {
        try (var connection = TestDatabase.migrated().getConnection();
                var query = connection.prepareStatement(
                        "SELECT reason FROM gateway_redemption WHERE channel = ? AND epoch = ?")) {
            query.setString(1, channel.channel());
            query.setLong(2, epoch);
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).as("journaled").isTrue();
                return rows.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onlyOneReplicaWorksOnAChannel() {
        var channel = open(1000, Optional.empty());
        pay(channel, 1, 30);
        var one = scheduler();
        var two = scheduler();
        assertThat(one.step(channel.channel()).block()).isEqualTo(Outcome.STARTED);
        assertThat(two.step(channel.channel()).block()).isEqualTo(Outcome.LEASED_ELSEWHERE);
        assertThat(contract.starts).hasValue(1);
    }

    @Test
    void aStaleViewOfAnEpochAlreadyRedeemedSendsNothing() {
        var channel = open(1000, Optional.empty());
        pay(channel, 1, 30); // due by exposure
        // another replica redeemed epoch 1 already; this one's view of the chain still shows it active
        journal.intend(channel.channel(), 1, RedemptionDecision.Reason.EXPOSURE_SHARE, clock.instant())
                .block();
        journal.started(channel.channel(), 1, Optional.empty(), clock.instant(), clock.instant())
                .block();
        journal.finished(channel.channel(), 1, "0x" + "00".repeat(32), Wei.of(750), clock.instant())
                .block();
        assertThat(scheduler().step(channel.channel()).block()).isEqualTo(Outcome.NOTHING_DUE);
        assertThat(contract.starts).as("no start for a journaled epoch").hasValue(0);
    }
}
