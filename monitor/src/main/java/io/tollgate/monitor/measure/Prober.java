package io.tollgate.monitor.measure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Active probes: a GET of each listing's probe URL, all listings at once; a probe succeeds when it is answered
 * 2xx or 3xx within the timeout. Results are added to this prober's row of the minute in which the probe was sent
 * ({@code sla_probe_minute}), so a restart loses nothing already recorded.
 */
public final class Prober {
    private static final Logger log = LoggerFactory.getLogger(Prober.class);

    /** One probe's outcome: the status (0 without an answer) and how long it took. */
    public record Probe(String listing, Instant sentAt, int status, Duration latency) {
        public boolean ok() {
            return status >= 200 && status < 400;
        }
    }

    private final HttpClient http;
    private final JdbcTemplate jdbc;
    private final String prober;
    private final Duration timeout;
    private final Clock clock;

    public Prober(HttpClient http, JdbcTemplate jdbc, String prober, Duration timeout, Clock clock) {
        this.http = http;
        this.jdbc = jdbc;
        this.prober = prober;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Probes each listing's URL once (listing slug → probe URL) and records the outcomes. */
    public List<Probe> probe(Map<String, String> urls) {
        Instant sentAt = clock.instant();
        List<Probe> probes = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Probe>> running = new LinkedHashMap<>();
            urls.forEach((listing, url) -> running.put(listing, threads.submit(() -> probe(listing, url, sentAt))));
            for (var entry : running.entrySet()) {
                try {
                    probes.add(entry.getValue().get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("probing " + entry.getKey() + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return probes;
                }
            }
        }
        for (Probe p : probes) {
            record(p);
        }
        return probes;
    }

    private Probe probe(String listing, String url, Instant sentAt) {
        long started = System.nanoTime();
        int status;
        try {
            status = http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(timeout)
                                    .header("User-Agent", "tollgate-monitor")
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (HttpTimeoutException e) {
            status = 0;
        } catch (IOException e) {
            status = 0; // refused, reset, unknown host: the listing did not answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
        }
        var probe = new Probe(listing, sentAt, status, Duration.ofNanos(System.nanoTime() - started));
        if (!probe.ok()) {
            log.atInfo()
                    .addKeyValue("listing", listing)
                    .addKeyValue("status", status)
                    .addKeyValue("outcome", "failed")
                    .log("probe failed");
        }
        return probe;
    }

    private void record(Probe p) {
        jdbc.update(
                """
                insert into sla_probe_minute (prober, listing_id, minute, sent, ok, latency_sum_us) values (?, ?, ?, 1, ?, ?)
                on conflict (prober, listing_id, minute) do update set sent = sla_probe_minute.sent + 1,
                    ok = sla_probe_minute.ok + excluded.ok, latency_sum_us = sla_probe_minute.latency_sum_us + excluded.latency_sum_us""",
                prober,
                p.listing(),
                Timestamp.from(p.sentAt().truncatedTo(ChronoUnit.MINUTES)),
                p.ok() ? 1 : 0,
                p.latency().toNanos() / 1000);
    }
}
