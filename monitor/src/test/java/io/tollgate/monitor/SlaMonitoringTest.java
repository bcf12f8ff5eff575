package io.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.contracts.testing.TestClock;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.monitor.measure.AvailabilitySource;
import io.tollgate.monitor.measure.GatewaySource;
import io.tollgate.monitor.measure.ProbeSource;
import io.tollgate.monitor.measure.Prober;
import io.tollgate.monitor.measure.PrometheusSource;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * SLA monitoring end to end on a real chain: three monitors probe the example upstream (made to answer 503 for part
 * of a window with its outage switch) and read the gateways' rows in PostgreSQL, sign their window reports, and the
 * submitter reports the window on anvil, where the contract pays the median's tier penalty from the provider's
 * collateral to the consumer. Time is the test's: the monitors' clock and anvil's are moved forward together.
 *
 * <p>anvil's public test accounts: 1 is the consumer (owner), 2 its signer, 3 the provider (payout, collateral), 4
 * its operator, 5–7 the monitors' keys, 8 a stranger, 9 the submitter.
 */
class SlaMonitoringTest {
    static final Wei MILD = Wei.parse("100000000000000"); // 0.0001 ether, below 99 %
    static final Wei MEDIUM = Wei.parse("500000000000000"); // 0.0005 ether, below 95 %
    static final Wei SEVERE = Wei.parse("1000000000000000"); // 0.001 ether, below 90 %
    static final Wei DEPOSIT = Wei.parse("10000000000000000"); // 0.01 ether
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Duration SETTLE = Duration.ofSeconds(15);
    static final Duration COLLECT_FOR = Duration.ofSeconds(60);
    static final Duration T_C = Duration.ofSeconds(600);
    static final AtomicInteger listings = new AtomicInteger();

    static AnvilNode chain;
    static Deployments.Deployment deployment;
    static JdbcTemplate jdbc;
    static ExampleUpstream upstream;
    static StubServer feed;
    static StubServer prometheus;
    static HttpClient http;

    TestClock clock;

    @BeforeAll
    static void start() {
        chain = AnvilNode.start();
        deployment = Deployments.deploy(chain.web3j(), chain.transactionManager(0));
        jdbc = TestDatabase.forAFreshChain();
        upstream = ExampleUpstream.start(AnvilNode.freePort());
        feed = new StubServer();
        prometheus = new StubServer();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        http.close();
        prometheus.close();
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

    /** One monitor process: its own prober name, key, probes and sources. */
    final class Monitor {
        final Prober prober;
        final Reporter reporter;

        Monitor(String name, Credentials key, List<AvailabilitySource> extra) {
            var others = new ArrayList<AvailabilitySource>(List.of(new GatewaySource(JdbcClient.create(jdbc))));
            others.addAll(extra);
            prober = new Prober(
                    // the test's upstream runs on this machine: loopback allowed explicitly
                    io.tollgate.upstream.UpstreamPolicy.of(java.util.List.of("127.0.0.0/8"), java.util.List.of()),
                    JdbcClient.create(jdbc),
                    name,
                    Duration.ofSeconds(5),
                    clock);
            reporter = new Reporter(
                    JdbcClient.create(jdbc),
                    new WindowMeasure(new ProbeSource(JdbcClient.create(jdbc), name), others),
                    List.of(key),
                    AnvilNode.CHAIN_ID,
                    SETTLE,
                    Duration.ofHours(1),
                    clock);
        }

        void probe(Watch watch) {
            prober.probe(Map.of(watch.listing(), watch.probeUrl()));
        }
    }

    List<Monitor> monitors(AvailabilitySource... thirdsExtra) {
        String run = "m" + listings.get() + "-";
        return List.of(
                new Monitor(run + "1", chain.account(5), List.of()),
                new Monitor(run + "2", chain.account(6), List.of()),
                new Monitor(run + "3", chain.account(7), List.of(thirdsExtra)));
    }

    Submitter submitter(boolean allWindows) {
        return new Submitter(
                JdbcClient.create(jdbc),
                chain.web3j(),
                chain.transactionManager(9),
                AnvilNode.CHAIN_ID,
                BigInteger.TEN.pow(12),
                COLLECT_FOR,
                allWindows,
                Duration.ofMinutes(2),
                Duration.ofHours(24),
                clock);
    }

    /** A channel with SLA terms, its provider's collateral deposited, as the marketplace's feed lists it. */
    record Scenario(ChannelClient consumer, SlaTerms terms, String listing, WatchedChannels watched) {
        Watch watch() {
            return watched.current().getFirst();
        }
    }

    Scenario open(Wei collateral, int quorum) throws Exception {
        // the first window starts on a whole minute a little ahead of the chain
        Instant start = Instant.ofEpochSecond((chainNow().getEpochSecond() / 60 + 2) * 60);
        var terms = new SlaTerms(
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
                quorum);
        var consumer = OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(chain, PriceTable.of(1_000_000_000_000L), Duration.ofSeconds(60), T_C),
                terms,
                DEPOSIT);
        if (!collateral.isZero()) {
            new ChannelClient(chain.web3j(), consumer.address(), chain.transactionManager(3), BigInteger.TEN.pow(12))
                    .depositCollateral(collateral);
        }
        String listing = "sla-" + listings.incrementAndGet();
        feed.answer("""
                [{"channel":"%s","listing":"%s","probeUrl":"%s/probe","start":%d,"windowSeconds":60,"quorum":%d}]""".formatted(consumer.address(), listing, upstream.baseUrl(), start.getEpochSecond(), quorum));
        var watched = new WatchedChannels(
                new MarketplaceFeed(http, URI.create(feed.url()), "monitor-credential-of-this-test-0123456789"),
                chain.web3j());
        assertThat(watched.refresh()).hasSize(1);
        assertThat(feed.authorizations.getLast())
                .as("the feed holds upstream URLs: read with the monitor credential")
                .isEqualTo("Bearer monitor-credential-of-this-test-0123456789");
        assertThat(watched.current().getFirst().terms())
                .as("terms as the chain holds them")
                .isEqualTo(terms);
        return new Scenario(consumer, terms, listing, watched);
    }

    /**
     * Twelve probe rounds, five seconds apart, through window {@code w} by the monitors that are up; the upstream's
     * outage switch is on during the rounds named.
     */
    void probeWindow(Scenario s, long w, Set<Integer> outageRounds, List<Monitor> up) {
        for (int round = 0; round < 12; round++) {
            clock.set(s.terms().windowStart(w).plusSeconds(5L * round + 1));
            upstream.outagePercent(outageRounds.contains(round) ? 100 : 0);
            for (Monitor m : up) {
                m.probe(s.watch());
            }
        }
        upstream.outagePercent(0);
    }

    /** A row exactly as the gateways' batching writer upserts it: paid requests of the minute by status class. */
    void gatewayRow(Scenario s, Instant minute, long ok, long consumerErrors, long serverErrors) {
        jdbc.update(
                """
                insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei,
                    status_2xx, status_4xx, status_5xx, latency_sum_us, latency_max_us) values (?, ?, ?, 1, 0, ?, ?, ?, ?, ?, ?, ?)""",
                Timestamp.from(minute),
                s.listing(),
                s.consumer().address(),
                ok + consumerErrors + serverErrors,
                new java.math.BigDecimal(1_000_000_000_000L * (ok + consumerErrors + serverErrors)),
                ok,
                consumerErrors,
                serverErrors,
                42_000 * (ok + consumerErrors + serverErrors),
                90_000);
    }

    /** The monitors' clock past the window's end and settle time, the chain past its end. */
    void endOf(Scenario s, long w) throws Exception {
        clock.set(s.terms().windowEnd(w).plus(SETTLE));
        Instant end = s.terms().windowEnd(w);
        if (chainNow().isBefore(end)) {
            chain.increaseTime(Duration.between(chainNow(), end).plusSeconds(1));
        }
    }

    static Instant chainNow() {
        return OnChainFixtures.chainTime(chain);
    }

    static List<Reporter.Signed> report(List<Monitor> monitors, Scenario s) {
        return monitors.stream()
                .flatMap(m -> m.reporter.report(s.watched().current()).stream())
                .toList();
    }

    /** Every WindowReported event the channel ever emitted. */
    static List<Intermediary.WindowReportedEventResponse> windowReported(Scenario s) throws Exception {
        var filter = new EthFilter(
                DefaultBlockParameterName.EARLIEST,
                DefaultBlockParameterName.LATEST,
                s.consumer().address());
        filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(Intermediary.WINDOWREPORTED_EVENT));
        List<Intermediary.WindowReportedEventResponse> events = new ArrayList<>();
        for (var result : chain.web3j().ethGetLogs(filter).send().getLogs()) {
            events.add(Intermediary.getWindowReportedEventFromLog((Log) result.get()));
        }
        return events;
    }

    static TransactionReceipt receipt(String hash) {
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

    static BigInteger fee(TransactionReceipt receipt) {
        return receipt.getGasUsed().multiply(Numeric.decodeQuantity(receipt.getEffectiveGasPrice()));
    }

    // -------------------------------------------------------------------------------------------------- tests

    @Test
    void anOutageForPartOfAWindowPaysTheTiersPenaltyIntoTheConsumersBalanceToTheWei() throws Exception {
        Scenario s = open(Wei.parse("5000000000000000"), 2);
        List<Monitor> monitors = monitors();
        probeWindow(s, 0, Set.of(4, 5, 6), monitors); // 3 of 12 probes answered 503: 9 / 12 = 75.00 %
        gatewayRow(s, s.terms().windowStart(0), 85, 5, 10); // 85 / (100 - 5 consumer errors) = 89.47 %
        endOf(s, 0);

        List<Reporter.Signed> signed = report(monitors, s);
        assertThat(signed).extracting(Reporter.Signed::availabilityBps).containsExactly(7500, 7500, 7500);
        assertThat(jdbc.queryForList(
                        "select observations::text from sla_report where channel = ? and window_index = 0",
                        String.class,
                        s.consumer().address()))
                .allSatisfy(o -> assertThat(o)
                        .contains("\"probes\": {\"good\": 9, \"total\": 12}")
                        .contains("\"gateway\": {\"good\": 85, \"total\": 95}"));
        assertThat(report(monitors, s)).as("one report per window and key").isEmpty();

        Wei deposit = s.consumer().state().unredeemed();
        Wei collateral = s.consumer().state().collateral();
        List<Outcome> outcomes = submitter(false).submit(s.watched().current());
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Submitted.class, o -> {
            assertThat(o.window()).isZero();
            assertThat(o.medianBps()).isEqualTo(7500);
            assertThat(o.reports()).isEqualTo(3);
            assertThat(o.due()).isEqualTo(SEVERE);
        });
        assertThat(s.consumer().state().unredeemed()).isEqualTo(deposit.plus(SEVERE));
        assertThat(s.consumer().state().collateral()).isEqualTo(collateral.minus(SEVERE));
        assertThat(windowReported(s)).singleElement().satisfies(e -> {
            assertThat(e.availabilityBps.intValueExact()).isEqualTo(7500);
            assertThat(new Wei(e.penalty)).isEqualTo(SEVERE);
        });

        // never twice: the same submitter, and one restarted on the same database, find nothing to send
        assertThat(submitter(false).submit(s.watched().current())).isEmpty();
        assertThat(jdbc.queryForObject(
                        "select state from sla_submission where channel = ? and window_index = 0",
                        String.class,
                        s.consumer().address()))
                .isEqualTo("CONFIRMED");
        assertThat(windowReported(s)).hasSize(1);

        // the consumer closes the channel: its wallet gets the deposit and the penalty, to the wei
        BigInteger wallet = chain.balance(chain.account(1).getAddress());
        var requested = s.consumer().requestClose();
        chain.increaseTime(T_C.plusSeconds(1));
        var closed = s.consumer().close();
        assertThat(chain.balance(chain.account(1).getAddress()))
                .isEqualTo(wallet.subtract(fee(requested))
                        .subtract(fee(closed))
                        .add(DEPOSIT.value())
                        .add(SEVERE.value()));
    }

    @Test
    void oneMonitorReportingAnOutlierDoesNotMoveTheMedian() throws Exception {
        Scenario s = open(SEVERE, 2);
        // the third monitor also reads a Prometheus whose metrics claim a total outage
        prometheus.answer(
                query -> query.contains("good")
                        ? "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[0,\"0\"]}]}}"
                        : "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[0,\"100\"]}]}}");
        List<Monitor> monitors = monitors(new PrometheusSource(
                http,
                URI.create(prometheus.url()),
                "sum(increase(good{job=\"{listing}\"}[{window}]))",
                "sum(increase(total{job=\"{listing}\"}[{window}]))"));
        probeWindow(s, 0, Set.of(), monitors);
        gatewayRow(s, s.terms().windowStart(0), 100, 0, 0);
        endOf(s, 0);

        assertThat(report(monitors, s))
                .extracting(Reporter.Signed::availabilityBps)
                .containsExactly(10_000, 10_000, 0);
        assertThat(prometheus.queries)
                .anyMatch(q -> q.contains("job=\"" + s.listing() + "\"}[60s]")
                        && q.contains("time=" + s.terms().windowEnd(0).getEpochSecond()));
        Wei deposit = s.consumer().state().unredeemed();
        var outcomes = submitter(true).submit(s.watched().current()); // all windows: the median goes on chain
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Submitted.class, o -> {
            assertThat(o.medianBps()).isEqualTo(10_000);
            assertThat(o.due()).isEqualTo(Wei.ZERO);
        });
        assertThat(windowReported(s)).singleElement().satisfies(e -> {
            assertThat(e.availabilityBps.intValueExact()).isEqualTo(10_000);
            assertThat(e.penalty).isZero();
        });
        assertThat(s.consumer().state().collateral()).isEqualTo(SEVERE);
        assertThat(s.consumer().state().unredeemed()).isEqualTo(deposit);
    }

    @Test
    void tooFewReportsPayNothingAndAMonitorThatIsDownHoldsAWindowUpOnlyForAWhile() throws Exception {
        Scenario s = open(SEVERE.times(2), 2);
        List<Monitor> monitors = monitors();
        Set<Integer> allRounds = Set.copyOf(IntStream.range(0, 12).boxed().toList());
        probeWindow(s, 0, allRounds, monitors.subList(0, 1)); // only the first monitor is up
        probeWindow(s, 1, Set.of(0, 1, 2, 3, 4, 5), monitors.subList(0, 2)); // the third is down: 6 / 12
        endOf(s, 1);
        assertThat(report(monitors, s))
                .extracting(Reporter.Signed::window, Reporter.Signed::availabilityBps)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(0L, 0),
                        org.assertj.core.groups.Tuple.tuple(1L, 5000),
                        org.assertj.core.groups.Tuple.tuple(1L, 5000));

        Submitter submitter = submitter(false);
        assertThat(submitter.submit(s.watched().current()))
                .as("window 0 lacks a quorum; window 1 waits for the third monitor")
                .isEmpty();
        clock.advance(COLLECT_FOR);
        assertThat(submitter.submit(s.watched().current())).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Outcome.Submitted.class);
            assertThat(o.window()).isEqualTo(1);
            assertThat(((Outcome.Submitted) o).reports()).isEqualTo(2);
        });
        clock.advance(Duration.ofHours(1));
        assertThat(submitter.submit(s.watched().current())).isEmpty();
        assertThat(s.consumer().windowReported(0))
                .as("too few reports: never reported")
                .isFalse();
        assertThat(s.consumer().state().collateral()).isEqualTo(SEVERE);
        assertThat(windowReported(s))
                .singleElement()
                .satisfies(e -> assertThat(e.window.longValueExact()).isEqualTo(1));
    }

    @Test
    void exhaustedCollateralPaysWhatIsLeftThenNothingWithoutUnderflow() throws Exception {
        Scenario s = open(MILD, 2);
        List<Monitor> monitors = monitors();
        Set<Integer> allRounds = Set.copyOf(IntStream.range(0, 12).boxed().toList());
        probeWindow(s, 0, allRounds, monitors);
        probeWindow(s, 1, allRounds, monitors);
        endOf(s, 1);
        assertThat(report(monitors, s)).hasSize(6);
        Wei deposit = s.consumer().state().unredeemed();

        var outcomes = submitter(false).submit(s.watched().current());
        assertThat(outcomes)
                .hasSize(2)
                .allSatisfy(o -> assertThat(((Outcome.Submitted) o).due()).isEqualTo(SEVERE));
        var paid = outcomes.stream()
                .map(o -> Intermediary.getWindowReportedEvents(receipt(((Outcome.Submitted) o).txHash()))
                        .getFirst()
                        .penalty)
                .toList();
        assertThat(paid).containsExactly(MILD.value(), BigInteger.ZERO);
        assertThat(s.consumer().state().collateral()).isEqualTo(Wei.ZERO);
        assertThat(s.consumer().state().unredeemed()).isEqualTo(deposit.plus(MILD));
    }

    @Test
    void aWindowIsNeverSubmittedTwiceAfterACrashOrWhenSomeoneElseWasFirst() throws Exception {
        Scenario s = open(SEVERE.times(3), 2);
        List<Monitor> monitors = monitors();
        Set<Integer> allRounds = Set.copyOf(IntStream.range(0, 12).boxed().toList());
        probeWindow(s, 0, allRounds, monitors);
        probeWindow(s, 1, allRounds, monitors);
        endOf(s, 1);
        report(monitors, s);

        // someone else reported window 0 with the same signed reports
        var signed = jdbc.query(
                "select availability_bps, signature from sla_report where channel = ? and window_index = 0",
                (rs, n) -> new ChannelClient.WindowReport(rs.getInt(1), Numeric.hexStringToByteArray(rs.getString(2))),
                s.consumer().address());
        new ChannelClient(chain.web3j(), s.consumer().address(), chain.transactionManager(8), BigInteger.TEN.pow(12))
                .reportWindow(0, signed);
        // a submitter crashed after claiming window 1, before its transaction went out
        jdbc.update(
                """
                insert into sla_submission (channel, window_index, state, reports, availability_bps, penalty_wei, updated_at)
                values (?, 1, 'SENDING', 3, 0, ?, ?)""",
                s.consumer().address(),
                new java.math.BigDecimal(SEVERE.value()),
                Timestamp.from(clock.instant().minus(Duration.ofMinutes(5))));

        var outcomes = submitter(false).submit(s.watched().current());
        assertThat(outcomes)
                .extracting(o -> o.getClass().getSimpleName(), Outcome::window)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("AlreadyReported", 0L),
                        org.assertj.core.groups.Tuple.tuple("Submitted", 1L));
        assertThat(submitter(false).submit(s.watched().current())).isEmpty();
        assertThat(windowReported(s)).extracting(e -> e.window.longValueExact()).containsExactly(0L, 1L);
        assertThat(s.consumer().state().collateral()).isEqualTo(SEVERE);
    }

    @Test
    void aWindowTheChainDoesNotSeeEndedYetIsTriedAgainOnceItDoes() throws Exception {
        Scenario s = open(SEVERE, 2);
        List<Monitor> monitors = monitors();
        probeWindow(s, 0, Set.of(0, 1, 2, 3, 4, 5), monitors);
        clock.set(s.terms().windowEnd(0).plus(COLLECT_FOR)); // the monitors' clock is ahead of the chain's
        assertThat(chainNow()).isBefore(s.terms().windowEnd(0));
        assertThat(report(monitors, s)).hasSize(3);

        Submitter submitter = submitter(false);
        assertThat(submitter.submit(s.watched().current())).isEmpty();
        assertThat(jdbc.queryForObject(
                        "select count(*) from sla_submission where channel = ?",
                        Integer.class,
                        s.consumer().address()))
                .as("the contract said not yet: no claim is kept")
                .isZero();
        chain.increaseTime(Duration.between(chainNow(), s.terms().windowEnd(0)).plusSeconds(1));
        assertThat(submitter.submit(s.watched().current()))
                .singleElement()
                .isInstanceOfSatisfying(
                        Outcome.Submitted.class, o -> assertThat(o.medianBps()).isEqualTo(5000));
        assertThat(s.consumer().state().collateral()).isEqualTo(Wei.ZERO);
    }

    @Test
    void aMalleatedReportIsLeftOutWithAWarningAndTheWindowStillSettlesOnTheGoodOnes() throws Exception {
        Scenario s = open(SEVERE, 2);
        List<Monitor> monitors = monitors();
        probeWindow(s, 0, Set.of(0, 1, 2, 3, 4, 5), monitors); // 6 / 12: the severe tier
        endOf(s, 0);
        assertThat(report(monitors.subList(0, 2), s)).hasSize(2);

        // the third monitor's report arrives with its signature turned into the high-s twin (by a buggy signer, or by
        // whoever relays it): it still recovers to that monitor, but the contract's ECDSA refuses it
        String third = chain.account(7).getAddress().toLowerCase(java.util.Locale.ROOT);
        byte[] digest = io.tollgate.contracts.channel.VoucherSignatures.windowReportDigest(
                AnvilNode.CHAIN_ID, s.consumer().address(), 0, 5000);
        byte[] signature = io.tollgate.contracts.channel.VoucherSignatures.sign(
                digest, chain.account(7).getEcKeyPair());
        BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        BigInteger highS = n.subtract(new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64)));
        System.arraycopy(Numeric.toBytesPadded(highS, 32), 0, signature, 32, 32);
        signature[64] = (byte) (signature[64] == 27 ? 28 : 27);
        jdbc.update("""
                insert into sla_report (channel, window_index, monitor, availability_bps, signature, window_start,
                    window_end, observations)
                select channel, window_index, ?, availability_bps, ?, window_start, window_end, observations
                from sla_report where channel = ? and window_index = 0 limit 1""", third, Numeric.toHexString(signature), s.consumer().address());

        var warnings = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Submitter.class);
        warnings.start();
        logger.addAppender(warnings);
        try {
            Submitter submitter = submitter(false);
            assertThat(submitter.submit(s.watched().current()))
                    .as("two good reports of three monitors: it waits for the third a while")
                    .isEmpty();
            clock.advance(COLLECT_FOR);
            assertThat(submitter.submit(s.watched().current()))
                    .singleElement()
                    .isInstanceOfSatisfying(Outcome.Submitted.class, o -> {
                        assertThat(o.reports()).isEqualTo(2);
                        assertThat(o.medianBps()).isEqualTo(5000);
                        assertThat(o.due()).isEqualTo(SEVERE);
                    });
        } finally {
            logger.detachAppender(warnings);
        }
        assertThat(s.consumer().windowReported(0)).isTrue();
        assertThat(s.consumer().state().collateral()).isEqualTo(Wei.ZERO);
        assertThat(warnings.list)
                .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains(third).contains("high s"));
    }
}
