package io.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.contracts.testing.TestClock;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.monitor.measure.GatewaySource;
import io.tollgate.monitor.measure.ProbeSource;
import io.tollgate.monitor.measure.Prober;
import io.tollgate.monitor.measure.WindowMeasure;
import io.tollgate.monitor.report.Reporter;
import io.tollgate.monitor.submit.Submitter;
import io.tollgate.monitor.submit.Submitter.Outcome;
import io.tollgate.monitor.watch.MarketplaceFeed;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.monitor.watch.WatchedChannels;
import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The submitter speaks both SLA interfaces on a real chain. A channel on release 2 (its factory's latest release)
 * is settled in two steps: the reports of the monitors that reported are added during the report period, the
 * window is settled after it on the median of all of them. With three monitors and quorum 2, one monitor down
 * and one lying (it signs 10000 while the upstream was out for half the window) cannot decide the window: the
 * honest report goes on chain beside the lie, and the median of the two is the honest one (the contract's lower
 * middle). A channel on release 1 is still reported in one step.
 *
 * <p>anvil's public test accounts: 1 the consumer, 2 its signer, 3 the provider, 4 its operator, 5–7 the monitors'
 * keys (6 the liar, 7 down), 8 a stranger, 9 the submitter.
 */
class SlaRelease2MonitoringTest {
    static final Wei MILD = Wei.parse("100000000000000");
    static final Wei MEDIUM = Wei.parse("500000000000000");
    static final Wei SEVERE = Wei.parse("1000000000000000");
    static final Wei DEPOSIT = Wei.parse("10000000000000000");
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Duration REPORT_PERIOD = Duration.ofSeconds(60);
    static final Duration SETTLE = Duration.ofSeconds(15);
    static final Duration COLLECT_FOR = Duration.ofSeconds(60);
    static final AtomicInteger listings = new AtomicInteger();

    static AnvilNode chain;
    static Deployments.Deployment release1;
    static Deployments.Deployment release2;
    static JdbcTemplate jdbc;
    static ExampleUpstream upstream;
    static StubServer feed;
    static HttpClient http;

    TestClock clock;

    @BeforeAll
    static void start() throws Exception {
        chain = AnvilNode.start();
        release1 = Deployments.deploy(chain.web3j(), chain.transactionManager(0));
        // a second factory whose latest release is release 2, as after the lead's registration
        release2 = Deployments.deploy(chain.web3j(), chain.transactionManager(0));
        var gas = new DefaultGasProvider();
        var implementation = IntermediaryRelease2.deploy(chain.web3j(), chain.transactionManager(0), gas)
                .send();
        IntermediaryFactory.load(release2.factory(), chain.web3j(), chain.transactionManager(0), gas)
                .registerRelease(implementation.getContractAddress())
                .send();
        jdbc = TestDatabase.forAFreshChain();
        upstream = ExampleUpstream.start(AnvilNode.freePort());
        feed = new StubServer();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        http.close();
        feed.close();
        upstream.close();
        chain.close();
    }

    @BeforeEach
    void resetClock() {
        clock = new TestClock(Instant.now());
        upstream.outagePercent(0);
    }

    // ------------------------------------------------------------------------------------------------ harness

    final class Monitor {
        final Prober prober;
        final Reporter reporter;

        Monitor(String name, Credentials key) {
            prober = new Prober(
                    io.tollgate.upstream.UpstreamPolicy.of(List.of("127.0.0.0/8"), List.of()),
                    JdbcClient.create(jdbc),
                    name,
                    Duration.ofSeconds(5),
                    clock);
            reporter = new Reporter(
                    JdbcClient.create(jdbc),
                    new WindowMeasure(
                            new ProbeSource(JdbcClient.create(jdbc), name),
                            List.of(new GatewaySource(JdbcClient.create(jdbc)))),
                    List.of(key),
                    AnvilNode.CHAIN_ID,
                    SETTLE,
                    Duration.ofHours(1),
                    clock);
        }
    }

    Submitter submitter() {
        return new Submitter(
                JdbcClient.create(jdbc),
                chain.web3j(),
                chain.transactionManager(9),
                AnvilNode.CHAIN_ID,
                BigInteger.TEN.pow(12),
                COLLECT_FOR,
                false,
                Duration.ofMinutes(2),
                Duration.ofHours(24),
                clock);
    }

    SlaTerms terms(Instant start) {
        return new SlaTerms(
                new BasisPoints(9900),
                WINDOW,
                start,
                List.of(
                        new SlaTerms.PenaltyTier(new BasisPoints(9900), MILD),
                        new SlaTerms.PenaltyTier(new BasisPoints(9500), MEDIUM),
                        new SlaTerms.PenaltyTier(new BasisPoints(9000), SEVERE)),
                List.of(
                        chain.account(5).getAddress(),
                        chain.account(6).getAddress(),
                        chain.account(7).getAddress()),
                2);
    }

    ChannelTerms channelTerms() {
        return OnChainFixtures.terms(
                chain, PriceTable.of(1_000_000_000_000L), Duration.ofSeconds(60), Duration.ofSeconds(600));
    }

    record Scenario(ChannelClient consumer, String listing, WatchedChannels watched) {
        Watch watch() {
            return watched.current().getFirst();
        }

        SlaTerms terms() {
            return watch().terms();
        }
    }

    /**
     * A release-2 channel created on a whole minute (windows start at the creation block; on a whole minute
     * they cover whole rows of the per-minute tables), the report period passed in the SLA struct's third field.
     */
    Scenario openRelease2(Wei collateral) throws Exception {
        long minute = (chainNow().getEpochSecond() / 60 + 1) * 60;
        chain.call("evm_setNextBlockTimestamp", List.of(minute));
        var terms = channelTerms();
        var params = new IntermediaryFactory.Params(
                terms.owner(),
                terms.signer(),
                terms.payout(),
                terms.operator(),
                "0x0000000000000000000000000000000000000000",
                terms.prices().prices().stream().map(Wei::value).toList(),
                BigInteger.valueOf(terms.tolerance().toSeconds()),
                BigInteger.valueOf(terms.closeDelay().toSeconds()),
                SlaSettlement.factoryTerms(terms(Instant.EPOCH), REPORT_PERIOD));
        var receipt = IntermediaryFactory.load(
                        release2.factory(), chain.web3j(), chain.transactionManager(1), new DefaultGasProvider())
                .createChannel(params, DEPOSIT.value())
                .send();
        String channel = IntermediaryFactory.getChannelCreatedEvents(receipt).getFirst().channel;
        var consumer = new ChannelClient(chain.web3j(), channel, chain.transactionManager(1), BigInteger.TEN.pow(12));
        Scenario s = watched(consumer, collateral);
        assertThat(s.terms().start())
                .as("windows start at the creation block")
                .isEqualTo(Instant.ofEpochSecond(minute));
        assertThat(SlaSettlement.release(chain.web3j(), channel)).isEqualTo(2);
        assertThat(SlaSettlement.readOnly(chain.web3j(), channel).reportPeriod())
                .isEqualTo(REPORT_PERIOD);
        return s;
    }

    Scenario openRelease1(Wei collateral) throws Exception {
        Instant start = Instant.ofEpochSecond((chainNow().getEpochSecond() / 60 + 2) * 60);
        var consumer = FactoryClient.create(
                chain.web3j(), chain.transactionManager(1), release1.factory(), channelTerms(), terms(start), DEPOSIT);
        assertThat(SlaSettlement.release(chain.web3j(), consumer.address())).isEqualTo(1);
        return watched(consumer, collateral);
    }

    Scenario watched(ChannelClient consumer, Wei collateral) {
        new ChannelClient(chain.web3j(), consumer.address(), chain.transactionManager(3), BigInteger.TEN.pow(12))
                .depositCollateral(collateral);
        String listing = "sla2-" + listings.incrementAndGet() + "-" + System.nanoTime();
        feed.answer("""
                [{"channel":"%s","listing":"%s","probeUrl":"%s/probe"}]""".formatted(consumer.address(), listing, upstream.baseUrl()));
        var watched = new WatchedChannels(
                new MarketplaceFeed(http, URI.create(feed.url()), "monitor-credential-of-this-test-0123456789"),
                chain.web3j());
        assertThat(watched.refresh()).hasSize(1);
        return new Scenario(consumer, listing, watched);
    }

    /** Twelve probe rounds, five seconds apart, through window {@code w}; the outage switch on in the rounds named. */
    void probeWindow(Scenario s, long w, Set<Integer> outageRounds, List<Monitor> up) {
        for (int round = 0; round < 12; round++) {
            clock.set(s.terms().windowStart(w).plusSeconds(5L * round + 1));
            upstream.outagePercent(outageRounds.contains(round) ? 100 : 0);
            for (Monitor m : up) {
                m.prober.probe(Map.of(s.watch().listing(), s.watch().probeUrl()));
            }
        }
        upstream.outagePercent(0);
    }

    /** The monitors' clock {@code after} the window's end, the chain past its end. */
    void after(Scenario s, long w, Duration after) throws Exception {
        Instant at = s.terms().windowEnd(w).plus(after);
        clock.set(at);
        if (chainNow().isBefore(at)) {
            chain.increaseTime(Duration.between(chainNow(), at));
            chain.mine();
        }
    }

    /** A monitor's key signs an availability for a window and writes it where monitors write their reports. */
    void signed(Scenario s, long w, Credentials monitor, int availabilityBps) {
        byte[] digest = VoucherSignatures.windowReportDigest(
                AnvilNode.CHAIN_ID, s.consumer().address(), w, availabilityBps);
        jdbc.update(
                """
                insert into sla_report (channel, window_index, monitor, availability_bps, signature, window_start,
                    window_end, observations) values (?, ?, ?, ?, ?, ?, ?, '{}'::jsonb)""",
                s.consumer().address(),
                w,
                monitor.getAddress().toLowerCase(Locale.ROOT),
                availabilityBps,
                Numeric.toHexString(VoucherSignatures.sign(digest, monitor.getEcKeyPair())),
                Timestamp.from(s.terms().windowStart(w)),
                Timestamp.from(s.terms().windowEnd(w)));
    }

    String state(Scenario s, long w) {
        return jdbc.queryForObject(
                "select state from sla_submission where channel = ? and window_index = ?",
                String.class,
                s.consumer().address(),
                w);
    }

    static Instant chainNow() {
        return OnChainFixtures.chainTime(chain);
    }

    static org.web3j.protocol.core.methods.response.TransactionReceipt receipt(String hash) {
        try {
            return chain.web3j()
                    .ethGetTransactionReceipt(hash)
                    .send()
                    .getTransactionReceipt()
                    .orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<IntermediaryRelease2.WindowSettledEventResponse> windowSettled(Scenario s) throws Exception {
        var filter = new EthFilter(
                DefaultBlockParameterName.EARLIEST,
                DefaultBlockParameterName.LATEST,
                s.consumer().address());
        filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(IntermediaryRelease2.WINDOWSETTLED_EVENT));
        return chain.web3j().ethGetLogs(filter).send().getLogs().stream()
                .map(l -> IntermediaryRelease2.getWindowSettledEventFromLog((Log) l.get()))
                .toList();
    }

    // -------------------------------------------------------------------------------------------------- tests

    @Test
    void oneMonitorDownAndOneLyingCannotDecideARelease2WindowTheMedianOfAllReportsPaysTheTiersPenalty()
            throws Exception {
        Scenario s = openRelease2(SEVERE.times(2));
        String run = "r2-" + listings.get() + "-";
        Monitor honest = new Monitor(run + "1", chain.account(5));
        probeWindow(s, 0, Set.of(0, 1, 2, 3, 4, 5), List.of(honest)); // 6 / 12 probes answered: 50.00 %
        after(s, 0, SETTLE);
        assertThat(honest.reporter.report(s.watched().current()))
                .extracting(Reporter.Signed::availabilityBps)
                .containsExactly(5000);
        signed(s, 0, chain.account(6), 10_000); // the liar; the third monitor (7) is down and never reports

        Submitter submitter = submitter();
        assertThat(submitter.submit(s.watched().current()))
                .as("two reports of three monitors: it waits a while for the third")
                .isEmpty();

        after(s, 0, REPORT_PERIOD.dividedBy(2).plusSeconds(1)); // half the report period gone
        var added = submitter.submit(s.watched().current());
        assertThat(added).singleElement().isInstanceOfSatisfying(Outcome.ReportsAdded.class, o -> {
            assertThat(o.window()).isZero();
            assertThat(o.added()).isEqualTo(2);
            assertThat(o.onChain()).isEqualTo(2);
        });
        assertThat(state(s, 0)).isEqualTo("REPORTS_ADDED");
        var settlement = SlaSettlement.readOnly(chain.web3j(), s.consumer().address());
        var onChain = settlement.windowReports(0);
        assertThat(onChain.reportedMask()).as("monitors 0 and 1").isEqualTo(BigInteger.valueOf(0b011));
        assertThat(onChain.availabilities()).containsExactly(5000, 10_000, 0);
        assertThat(onChain.settled()).isFalse();
        assertThat(onChain.reportsUntil()).isEqualTo(s.terms().windowEnd(0).plus(REPORT_PERIOD));
        assertThat(onChain.settleUntil()).isEqualTo(s.terms().windowEnd(0).plus(REPORT_PERIOD.multipliedBy(2)));

        // nobody settles before the period is over: the provider would like to, on the two reports it sees
        var stranger = new SlaSettlement(
                chain.web3j(), s.consumer().address(), chain.transactionManager(8), BigInteger.TEN.pow(12));
        assertThatThrownBy(() -> stranger.settleWindow(0))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("ReportPeriodRunning"));
        assertThat(submitter.submit(s.watched().current()))
                .as("the submitter waits for the period's end too")
                .isEmpty();
        // a report added twice is refused: each monitor once
        byte[] digest = VoucherSignatures.windowReportDigest(
                AnvilNode.CHAIN_ID, s.consumer().address(), 0, 9_999);
        assertThatThrownBy(() -> stranger.addReports(
                        0,
                        List.of(new ChannelClient.WindowReport(
                                9_999,
                                VoucherSignatures.sign(digest, chain.account(6).getEcKeyPair())))))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.error()).isEqualTo("MonitorAlreadyReported"));

        Wei deposit = s.consumer().state().unredeemed();
        Wei collateral = s.consumer().state().collateral();
        after(s, 0, REPORT_PERIOD.plusSeconds(1));
        var settled = submitter.submit(s.watched().current());
        assertThat(settled).singleElement().isInstanceOfSatisfying(Outcome.Settled.class, o -> {
            assertThat(o.window()).isZero();
            assertThat(o.medianBps()).as("lower middle of 5000 and 10000").isEqualTo(5000);
            assertThat(o.reports()).isEqualTo(2);
            assertThat(o.due()).isEqualTo(SEVERE);
            assertThat(o.paid()).isEqualTo(SEVERE);
        });
        assertThat(s.consumer().state().unredeemed()).isEqualTo(deposit.plus(SEVERE));
        assertThat(s.consumer().state().collateral()).isEqualTo(collateral.minus(SEVERE));
        assertThat(windowSettled(s)).singleElement().satisfies(e -> {
            assertThat(e.window).isZero();
            assertThat(e.medianBps.intValueExact()).isEqualTo(5000);
            assertThat(e.reports.intValueExact()).isEqualTo(2);
            assertThat(new Wei(e.penalty)).isEqualTo(SEVERE);
        });
        assertThat(state(s, 0)).isEqualTo("CONFIRMED");
        assertThat(settlement.windowReports(0).settled()).isTrue();
        assertThat(submitter().submit(s.watched().current()))
                .as("never twice, a restarted submitter included")
                .isEmpty();
        assertThat(windowSettled(s)).hasSize(1);
    }

    @Test
    void aRelease2WindowEveryMonitorReportedIsSettledAtOnceAndOneAlreadySettledIsLeftAlone() throws Exception {
        Scenario s = openRelease2(SEVERE);
        after(s, 0, SETTLE);
        signed(s, 0, chain.account(5), 0);
        signed(s, 0, chain.account(6), 0);
        signed(s, 0, chain.account(7), 9_600);
        // someone else adds window 0's reports and settles it first: every monitor reported, no need to wait
        var stranger = new SlaSettlement(
                chain.web3j(), s.consumer().address(), chain.transactionManager(8), BigInteger.TEN.pow(12));
        var reports = jdbc.query(
                "select availability_bps, signature from sla_report where channel = ? and window_index = 0",
                (rs, n) -> new ChannelClient.WindowReport(rs.getInt(1), Numeric.hexStringToByteArray(rs.getString(2))),
                s.consumer().address());
        stranger.addReports(0, reports);
        assertThat(stranger.settleWindow(0).penalty()).isEqualTo(SEVERE);

        after(s, 1, SETTLE);
        signed(s, 1, chain.account(5), 0);
        signed(s, 1, chain.account(6), 0);
        signed(s, 1, chain.account(7), 9_600);
        var outcomes = submitter().submit(s.watched().current());
        assertThat(outcomes)
                .extracting(o -> o.getClass().getSimpleName(), Outcome::window)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("AlreadyReported", 0L),
                        org.assertj.core.groups.Tuple.tuple("ReportsAdded", 1L),
                        org.assertj.core.groups.Tuple.tuple("Settled", 1L));
        assertThat(outcomes.getLast()).isInstanceOfSatisfying(Outcome.Settled.class, o -> {
            assertThat(o.medianBps()).isZero();
            assertThat(o.due()).isEqualTo(SEVERE);
            assertThat(o.paid()).as("the collateral is exhausted").isEqualTo(Wei.ZERO);
        });
        assertThat(windowSettled(s)).extracting(e -> e.window.longValueExact()).containsExactly(0L, 1L);
    }

    @Test
    void aRelease1ChannelIsStillReportedInOneStep() throws Exception {
        Scenario s = openRelease1(SEVERE);
        List<Monitor> monitors = List.of(
                new Monitor("r1-" + listings.get() + "-1", chain.account(5)),
                new Monitor("r1-" + listings.get() + "-2", chain.account(6)),
                new Monitor("r1-" + listings.get() + "-3", chain.account(7)));
        probeWindow(s, 0, Set.of(0, 1, 2, 3, 4, 5), monitors);
        after(s, 0, SETTLE);
        assertThat(monitors.stream()
                        .flatMap(m -> m.reporter.report(s.watched().current()).stream())
                        .toList())
                .hasSize(3);
        Wei deposit = s.consumer().state().unredeemed();

        assertThat(submitter().submit(s.watched().current()))
                .singleElement()
                .isInstanceOfSatisfying(Outcome.Submitted.class, o -> {
                    assertThat(o.medianBps()).isEqualTo(5000);
                    assertThat(o.due()).isEqualTo(SEVERE);
                    assertThat(Intermediary.getWindowReportedEvents(receipt(o.txHash())))
                            .singleElement()
                            .satisfies(e -> assertThat(new Wei(e.penalty)).isEqualTo(SEVERE));
                });
        assertThat(s.consumer().state().unredeemed()).isEqualTo(deposit.plus(SEVERE));
        assertThat(state(s, 0)).isEqualTo("CONFIRMED");
    }
}
