package io.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.monitor.measure.GatewaySource;
import io.tollgate.monitor.measure.Measurement;
import io.tollgate.monitor.measure.Observation;
import io.tollgate.monitor.measure.ProbeSource;
import io.tollgate.monitor.measure.WindowMeasure;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** How a window's availability is measured from the probes and the gateways' rows in PostgreSQL. */
class WindowMeasureTest {
    static final JdbcTemplate jdbc = TestDatabase.jdbc();
    static final Instant START = Instant.parse("2031-03-01T10:00:00Z");
    static final Instant END = START.plusSeconds(120);

    static void probes(String prober, String listing, Instant minute, long sent, long ok) {
        jdbc.update(
                "insert into sla_probe_minute (prober, listing_id, minute, sent, ok) values (?, ?, ?, ?, ?)",
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
        return new WindowMeasure(new ProbeSource(jdbc, prober), List.of(new GatewaySource(jdbc)));
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
}
