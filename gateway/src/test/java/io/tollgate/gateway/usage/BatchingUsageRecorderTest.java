package io.tollgate.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchingUsageRecorderTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final String channel = RealRedis.randomChannel();
    private final BatchingUsageRecorder recorder =
            new BatchingUsageRecorder(TestDatabase.migrated(), Duration.ofHours(1), 1_000, meters);

    private UsageObservation observation(String at, Wei value, int status, long latencyMillis) {
        return new UsageObservation(
                Instant.parse(at), "weather", channel, channel, 1, 2, value, status, Duration.ofMillis(latencyMillis));
    }

    private Map<String, Object> row(String minute) throws SQLException {
        try (var connection = TestDatabase.migrated().getConnection();
                var statement = connection.prepareStatement(
                        "SELECT requests, value_wei, status_2xx, status_4xx, status_5xx, latency_sum_us, latency_max_us"
                                + " FROM gateway_usage_minute WHERE channel = ? AND minute = ?")) {
            statement.setString(1, channel);
            statement.setTimestamp(2, java.sql.Timestamp.from(Instant.parse(minute)));
            var result = statement.executeQuery();
            var row = new LinkedHashMap<String, Object>();
            if (result.next()) {
                for (int i = 1; i <= 7; i++) {
                    row.put(result.getMetaData().getColumnName(i), result.getObject(i));
                }
            }
            return row;
        }
    }

    @Test
    void writesSumsPerMinuteWithExactValuesAndStatusClasses() throws SQLException {
        Wei huge = new Wei(BigInteger.TWO.pow(200));
        recorder.record(observation("2026-01-01T10:00:05Z", huge, 200, 3));
        recorder.record(observation("2026-01-01T10:00:59Z", Wei.of(1), 503, 7));
        recorder.record(observation("2026-01-01T10:01:00Z", Wei.of(5), 404, 1));

        assertThat(recorder.flush().block()).isEqualTo(2);

        var first = row("2026-01-01T10:00:00Z");
        assertThat(first.get("requests")).isEqualTo(2L);
        assertThat(((java.math.BigDecimal) first.get("value_wei")).toBigIntegerExact())
                .isEqualTo(huge.value().add(BigInteger.ONE));
        assertThat(first.get("status_2xx")).isEqualTo(1L);
        assertThat(first.get("status_5xx")).isEqualTo(1L);
        assertThat(first.get("latency_sum_us")).isEqualTo(10_000L);
        assertThat(first.get("latency_max_us")).isEqualTo(7_000L);
        assertThat(row("2026-01-01T10:01:00Z").get("status_4xx")).isEqualTo(1L);
    }

    @Test
    void laterFlushesAndOtherReplicasAddToTheSameRow() throws SQLException {
        var otherReplica = new BatchingUsageRecorder(TestDatabase.migrated(), Duration.ofHours(1), 1_000, meters);
        recorder.record(observation("2026-01-01T11:00:00Z", Wei.of(10), 200, 2));
        recorder.flush().block();
        otherReplica.record(observation("2026-01-01T11:00:30Z", Wei.of(10), 200, 9));
        otherReplica.flush().block();

        var row = row("2026-01-01T11:00:00Z");
        assertThat(row.get("requests")).isEqualTo(2L);
        assertThat(((java.math.BigDecimal) row.get("value_wei")).intValueExact())
                .isEqualTo(20);
        assertThat(row.get("latency_max_us")).isEqualTo(9_000L);
    }

    @Test
    void callsMadeOnBehalfOfAnotherChannelAreAttributedToItsOrigin() throws SQLException {
        String origin = RealRedis.randomChannel();
        recorder.record(new UsageObservation(
                Instant.parse("2026-01-01T13:00:01Z"),
                "weather",
                channel,
                origin,
                1,
                2,
                Wei.of(7),
                200,
                Duration.ofMillis(1)));
        recorder.record(new UsageObservation(
                Instant.parse("2026-01-01T13:00:02Z"),
                "weather",
                channel,
                origin,
                1,
                2,
                Wei.of(5),
                200,
                Duration.ofMillis(1)));
        recorder.record(observation("2026-01-01T13:00:03Z", Wei.of(100), 200, 1)); // direct: no attribution row
        recorder.flush().block();

        try (var connection = TestDatabase.migrated().getConnection();
                var statement = connection.prepareStatement(
                        "SELECT origin, requests, value_wei FROM gateway_origin_minute WHERE channel = ?")) {
            statement.setString(1, channel);
            var result = statement.executeQuery();
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo(origin);
            assertThat(result.getLong(2)).isEqualTo(2L);
            assertThat(result.getBigDecimal(3).intValueExact()).isEqualTo(12);
            assertThat(result.next())
                    .as("a direct call is not attributed to another origin")
                    .isFalse();
        }
        assertThat(row("2026-01-01T13:00:00Z").get("requests")).isEqualTo(3L);
    }

    @Test
    void dropsAndCountsWhenTheBufferIsFullInsteadOfBlocking() {
        var small = new BatchingUsageRecorder(TestDatabase.migrated(), Duration.ofHours(1), 100, meters);
        for (int i = 0; i < 130; i++) {
            small.record(observation("2026-01-01T12:00:00Z", Wei.of(1), 200, 1));
        }
        assertThat(meters.get("tollgate.usage.dropped").counter().count()).isEqualTo(30.0);
    }
}
