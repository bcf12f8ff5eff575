package io.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.TestClock;
import io.tollgate.monitor.measure.GatewaySource;
import io.tollgate.monitor.measure.Measurement;
import io.tollgate.monitor.measure.Observation;
import io.tollgate.monitor.measure.ProbeSource;
import io.tollgate.monitor.measure.Prober;
import io.tollgate.monitor.measure.WindowMeasure;
import io.tollgate.upstream.UpstreamPolicy;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** How a window's availability is measured from the probes and the gateways' rows in PostgreSQL. */
class WindowMeasureTest {
    static final JdbcTemplate jdbc = TestDatabase.jdbc();
    static final Instant START = Instant.parse("2031-03-01T10:00:00Z");
    static final Instant END = START.plusSeconds(120);

    static void probes(String prober, String listing, Instant minute, long sent, long ok) {
        jdbc.update(
                "insert into sla_probe_second (prober, listing_id, sent_second, sent, ok) values (?, ?, ?, ?, ?)",
                prober,
                listing,
                Timestamp.from(minute),
                sent,
                ok);
    }

    static void gateway(String listing, Instant minute, String channel, long s2xx, long s4xx, long s5xx, long other) {
        jdbc.update("""
                insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei,
                    status_2xx, status_4xx, status_5xx, status_other) values (?, ?, ?, 1, 0, ?, 0, ?, ?, ?, ?)""", Timestamp.from(minute), listing, channel, s2xx + s4xx + s5xx + other, s2xx, s4xx, s5xx, other);
    }

    static WindowMeasure measure(String prober) {
        return new WindowMeasure(
                new ProbeSource(JdbcClient.create(jdbc), prober), List.of(new GatewaySource(JdbcClient.create(jdbc))));
    }

    @Test
    void consumerErrorsDoNotCountAgainstTheListingButServerErrorsAndUnansweredRequestsDo() {
        probes("wm-a", "wm-consumer-errors", START, 12, 12);
        gateway("wm-consumer-errors", START, "0x00000000000000000000000000000000000000c1", 60, 40, 5, 0);
        gateway(
                "wm-consumer-errors",
                START.plusSeconds(60),
                "0x00000000000000000000000000000000000000c2",
                30,
                10,
                3,
                2);
        gateway("wm-consumer-errors", END, "0x00000000000000000000000000000000000000c1", 0, 0, 50, 0); // next window

        var measured = (Measurement.Measured) measure("wm-a").measure("wm-consumer-errors", START, END);
        // 90 answered 2xx of 100 the listing had to answer (50 consumer errors left out): 90.00 %
        assertThat(measured.observations())
                .containsExactly(new Observation("probes", 12, 12), new Observation("gateway", 90, 100));
        assertThat(measured.availabilityBps()).isEqualTo(9000);
    }

    @Test
    void theLowestSourceCountsAndAvailabilityIsRoundedDown() {
        probes("wm-b", "wm-lowest", START, 3, 2); // 66.66… %
        probes("wm-b", "wm-lowest", START.plusSeconds(60), 3, 3);
        gateway("wm-lowest", START, "0x00000000000000000000000000000000000000c3", 2, 0, 1, 0); // 66.66… %
        var measured = (Measurement.Measured) measure("wm-b").measure("wm-lowest", START, END);
        assertThat(measured.observations())
                .containsExactly(new Observation("probes", 5, 6), new Observation("gateway", 2, 3));
        assertThat(measured.availabilityBps()).as("2 of 3, rounded down").isEqualTo(6666);
    }

    @Test
    void aMonitorThatDidNotProbeInTheWindowVouchesForNothing() {
        gateway("wm-unprobed", START, "0x00000000000000000000000000000000000000c4", 10, 0, 0, 0);
        probes("wm-other-prober", "wm-unprobed", START, 5, 5); // another process's probes are not ours
        assertThat(measure("wm-c").measure("wm-unprobed", START, END)).isInstanceOf(Measurement.NotObserved.class);
    }

    /**
     * Release 2 starts a channel's windows at its creation second: a window from 10:00:37 to 10:01:37 counts the
     * probes the prober sent inside it, to the second. An outage from 10:00:40 to 10:00:55 is this window's, not the
     * previous one's (with probes kept per minute, the 10:00 row, outage and all, fell into the window running at
     * 10:00:00, and this window looked perfect).
     */
    @Test
    void aWindowStartingWithinAMinuteCountsExactlyTheProbesSentInsideIt() {
        Instant start = START.plusSeconds(37);
        Instant end = start.plusSeconds(60);
        var clock = new TestClock(START);
        try (var up = new StubServer()) {
            var prober = new Prober(
                    UpstreamPolicy.of(List.of("127.0.0.0/8"), List.of()),
                    JdbcClient.create(jdbc),
                    "wm-d",
                    Duration.ofSeconds(2),
                    clock);
            String down = "http://127.0.0.1:" + AnvilNode.freePort() + "/"; // nothing listens: the probe fails
            for (int second : new int[] {10, 20, 30}) { // the previous window: answered
                probeAt(prober, clock, START.plusSeconds(second), up.url());
            }
            for (int second : new int[] {40, 45, 50, 55}) { // the outage
                probeAt(prober, clock, START.plusSeconds(second), down);
            }
            for (int second = 60; second <= 95; second += 5) { // answered again, up to 10:01:35
                probeAt(prober, clock, START.plusSeconds(second), up.url());
            }
            probeAt(prober, clock, START.plusSeconds(100), down); // 10:01:40: the next window's
        }
        var window = (Measurement.Measured) measure("wm-d").measure("wm-edge", start, end);
        assertThat(window.observations()).containsExactly(new Observation("probes", 8, 12));
        assertThat(window.availabilityBps()).isEqualTo(6666);
        var previous = (Measurement.Measured) measure("wm-d").measure("wm-edge", start.minusSeconds(60), start);
        assertThat(previous.observations()).containsExactly(new Observation("probes", 3, 3));
        var next = (Measurement.Measured) measure("wm-d").measure("wm-edge", end, end.plusSeconds(60));
        assertThat(next.observations()).containsExactly(new Observation("probes", 0, 1));
    }

    /** The gateways' rows are per minute: a minute the window shares with its neighbour is left to the probes. */
    @Test
    void onlyTheGatewaysMinutesWhollyInsideAWindowCount() {
        Instant start = START.plusSeconds(37);
        probes("wm-e", "wm-gateway-edge", start.plusSeconds(5), 4, 4);
        gateway("wm-gateway-edge", START, "0x00000000000000000000000000000000000000c5", 0, 0, 9, 0); // 10:00, shared
        gateway("wm-gateway-edge", START.plusSeconds(60), "0x00000000000000000000000000000000000000c5", 8, 0, 2, 0);
        gateway("wm-gateway-edge", START.plusSeconds(120), "0x00000000000000000000000000000000000000c5", 0, 0, 7, 0);
        var measured = (Measurement.Measured)
                measure("wm-e").measure("wm-gateway-edge", start, start.plusSeconds(120)); // 10:00:37 to 10:02:37
        assertThat(measured.observations())
                .as("only 10:01 lies wholly inside")
                .containsExactly(new Observation("probes", 4, 4), new Observation("gateway", 8, 10));
    }

    private static void probeAt(Prober prober, TestClock clock, Instant at, String url) {
        clock.set(at);
        prober.probe(Map.of("wm-edge", url));
    }
}
