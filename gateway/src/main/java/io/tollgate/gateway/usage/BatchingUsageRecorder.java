package io.tollgate.gateway.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.settings.schedule.Ticker;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link UsageRecorder} that buffers observations in memory (a lock-free queue; {@link #record} never blocks)
 * and every {@code flushInterval} writes them, summed per minute, listing, channel, epoch and category, to
 * {@code gateway_usage_minute} (and, for calls made on behalf of another channel's consumer, per minute, channel
 * and origin to {@code gateway_origin_minute}) in one transaction on {@code boundedElastic}. Each row is an upsert that adds to
 * what other replicas wrote. A failed write puts the sums back for the next flush; a full buffer drops and
 * counts.
 */
public final class BatchingUsageRecorder implements UsageRecorder, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchingUsageRecorder.class);

    static final String UPSERT = """
            INSERT INTO gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei,
                status_2xx, status_3xx, status_4xx, status_5xx, status_other, latency_sum_us, latency_max_us)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (channel, minute, listing_id, epoch, category) DO UPDATE SET
                requests = gateway_usage_minute.requests + EXCLUDED.requests,
                value_wei = gateway_usage_minute.value_wei + EXCLUDED.value_wei,
                status_2xx = gateway_usage_minute.status_2xx + EXCLUDED.status_2xx,
                status_3xx = gateway_usage_minute.status_3xx + EXCLUDED.status_3xx,
                status_4xx = gateway_usage_minute.status_4xx + EXCLUDED.status_4xx,
                status_5xx = gateway_usage_minute.status_5xx + EXCLUDED.status_5xx,
                status_other = gateway_usage_minute.status_other + EXCLUDED.status_other,
                latency_sum_us = gateway_usage_minute.latency_sum_us + EXCLUDED.latency_sum_us,
                latency_max_us = GREATEST(gateway_usage_minute.latency_max_us, EXCLUDED.latency_max_us)
            """;

    static final String UPSERT_ORIGIN = """
            INSERT INTO gateway_origin_minute (minute, channel, origin, requests, value_wei) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (channel, origin, minute) DO UPDATE SET
                requests = gateway_origin_minute.requests + EXCLUDED.requests,
                value_wei = gateway_origin_minute.value_wei + EXCLUDED.value_wei
            """;

    record Key(Instant minute, String listing, String channel, long epoch, int category) {}

    /** Calls a channel paid for on behalf of another channel's consumer (transitive attribution). */
    record OriginKey(Instant minute, String channel, String origin) {}

    /** Sums of one row; mutable, confined to the flushing thread. */
    static final class Sums {
        long requests;
        BigInteger value = BigInteger.ZERO;
        final long[] statusClasses = new long[5];
        long latencySumMicros;
        long latencyMaxMicros;

        void add(UsageObservation o) {
            requests++;
            value = value.add(o.value().value());
            int statusClass = o.status() / 100;
            statusClasses[statusClass >= 2 && statusClass <= 5 ? statusClass - 2 : 4]++;
            long micros = o.latency().toNanos() / 1_000;
            latencySumMicros += micros;
            latencyMaxMicros = Math.max(latencyMaxMicros, micros);
        }

        void add(Sums other) {
            requests += other.requests;
            value = value.add(other.value);
            for (int i = 0; i < statusClasses.length; i++) {
                statusClasses[i] += other.statusClasses[i];
            }
            latencySumMicros += other.latencySumMicros;
            latencyMaxMicros = Math.max(latencyMaxMicros, other.latencyMaxMicros);
        }
    }

    private final DataSource dataSource;
    private final Duration flushInterval;
    private final int capacity;
    private final Queue<UsageObservation> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final Map<Key, Sums> unwritten = new LinkedHashMap<>();
    private final Map<OriginKey, Sums> unwrittenOrigins = new LinkedHashMap<>();
    private final Counter dropped;
    private final Counter written;
    private volatile Disposable flusher;

    public BatchingUsageRecorder(DataSource dataSource, Duration flushInterval, int capacity, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.flushInterval = flushInterval;
        this.capacity = capacity;
        this.dropped = Counter.builder("tollgate.usage.dropped")
                .description("Usage observations dropped because the buffer was full")
                .register(meters);
        this.written = Counter.builder("tollgate.usage.rows.written")
                .description("Usage rows upserted")
                .register(meters);
    }

    @Override
    public void record(UsageObservation observation) {
        if (buffered.incrementAndGet() > capacity) {
            buffered.decrementAndGet();
            dropped.increment();
            return;
        }
        buffer.add(observation);
    }

    /** Writes what is buffered now; runs on {@code boundedElastic}. */
    public Mono<Integer> flush() {
        return Mono.fromCallable(this::flushNow).subscribeOn(Schedulers.boundedElastic());
    }

    private synchronized int flushNow() throws SQLException {
        UsageObservation o;
        while ((o = buffer.poll()) != null) {
            buffered.decrementAndGet();
            unwritten
                    .computeIfAbsent(
                            new Key(
                                    o.at().truncatedTo(ChronoUnit.MINUTES),
                                    o.listing(),
                                    o.channel(),
                                    o.epoch(),
                                    o.category()),
                            k -> new Sums())
                    .add(o);
            if (o.origin() != null && !o.origin().equals(o.channel())) {
                unwrittenOrigins
                        .computeIfAbsent(
                                new OriginKey(o.at().truncatedTo(ChronoUnit.MINUTES), o.channel(), o.origin()),
                                k -> new Sums())
                        .add(o);
            }
        }
        if (unwritten.isEmpty()) {
            return 0;
        }
        var rows = new ArrayList<>(unwritten.entrySet());
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(UPSERT);
                var origins = connection.prepareStatement(UPSERT_ORIGIN)) {
            connection.setAutoCommit(false);
            for (var row : unwrittenOrigins.entrySet()) {
                origins.setTimestamp(1, Timestamp.from(row.getKey().minute()));
                origins.setString(2, row.getKey().channel());
                origins.setString(3, row.getKey().origin());
                origins.setLong(4, row.getValue().requests);
                origins.setBigDecimal(5, new java.math.BigDecimal(row.getValue().value));
                origins.addBatch();
            }
            if (!unwrittenOrigins.isEmpty()) {
                origins.executeBatch();
            }
            for (var row : rows) {
                Key k = row.getKey();
                Sums s = row.getValue();
                statement.setTimestamp(1, Timestamp.from(k.minute()));
                statement.setString(2, k.listing());
                statement.setString(3, k.channel());
                statement.setLong(4, k.epoch());
                statement.setShort(5, (short) k.category());
                statement.setLong(6, s.requests);
                statement.setBigDecimal(7, new java.math.BigDecimal(s.value));
                for (int i = 0; i < 5; i++) {
                    statement.setLong(8 + i, s.statusClasses[i]);
                }
                statement.setLong(13, s.latencySumMicros);
                statement.setLong(14, s.latencyMaxMicros);
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
        }
        unwritten.clear();
        unwrittenOrigins.clear();
        written.increment(rows.size());
        return rows.size();
    }

    @Override
    public void start() {
        // A flush slower than the interval skips ticks instead of killing the flusher.
        flusher = Ticker.every(
                flushInterval,
                this::flush,
                e -> log.atWarn().setCause(e).log("usage flush failed; kept for the next one"));
    }

    @Override
    public void stop() {
        var running = flusher;
        flusher = null;
        if (running != null) {
            running.dispose();
            try {
                flushNow();
            } catch (SQLException e) {
                log.atWarn().setCause(e).log("final usage flush failed");
            }
        }
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }
}
