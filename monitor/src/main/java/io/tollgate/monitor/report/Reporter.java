package io.tollgate.monitor.report;

import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.monitor.measure.Measurement;
import io.tollgate.monitor.measure.WindowMeasure;
import io.tollgate.monitor.watch.Watch;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs window reports: for every watched channel that names one of its keys, each window that ended at least
 * {@code settle} ago (and within the lookback) is measured once and signed under each such key (EIP-712
 * {@code WindowReport(window, availabilityBps)} in the channel's domain). A report is written once per channel,
 * window and key ({@code INSERT … ON CONFLICT DO NOTHING}): a monitor never signs two availabilities for a window,
 * and a restart goes on where it stopped.
 */
public final class Reporter {
    private static final Logger log = LoggerFactory.getLogger(Reporter.class);

    /** What one pass signed: channel, window and availability per report written. */
    public record Signed(String channel, long window, String monitor, int availabilityBps) {}

    private final JdbcClient jdbc;
    private final WindowMeasure measure;
    private final List<Credentials> keys;
    private final long chainId;
    private final Duration settle;
    private final Duration lookback;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.builder().build();
    /** Windows found without a probe of ours, per channel: they stay so, and are not measured again. */
    private final Map<String, java.util.NavigableSet<Long>> unobserved = new java.util.concurrent.ConcurrentHashMap<>();

    public Reporter(
            JdbcClient jdbc,
            WindowMeasure measure,
            List<Credentials> keys,
            long chainId,
            Duration settle,
            Duration lookback,
            Clock clock) {
        this.jdbc = jdbc;
        this.measure = measure;
        this.keys = List.copyOf(keys);
        this.chainId = chainId;
        this.settle = settle;
        this.lookback = lookback;
        this.clock = clock;
    }

    /** The addresses this reporter signs as. */
    public List<String> monitors() {
        return keys.stream().map(k -> k.getAddress().toLowerCase(Locale.ROOT)).toList();
    }

    /** One pass over the watched channels; returns the reports written. */
    public List<Signed> report(List<Watch> watches) {
        Instant now = clock.instant();
        var written = new java.util.ArrayList<Signed>();
        for (Watch watch : watches) {
            List<Credentials> named = keys.stream()
                    .filter(k -> watch.terms().names(k.getAddress()))
                    .toList();
            if (named.isEmpty()) {
                continue;
            }
            SlaTerms terms = watch.terms();
            long ended = terms.windowAt(now.minus(settle)); // windows below this ended at least `settle` ago
            long from = Math.max(0, terms.windowAt(now.minus(lookback)));
            if (from >= ended) {
                continue;
            }
            var skipped = unobserved.computeIfAbsent(
                    watch.channel(), c -> new java.util.concurrent.ConcurrentSkipListSet<>());
            skipped.headSet(from).clear();
            var done = new java.util.HashSet<String>(jdbc.sql("select window_index || '/' || monitor from sla_report"
                            + " where channel = ? and window_index >= ? and window_index < ?")
                    .params(watch.channel(), from, ended)
                    .query(String.class)
                    .list());
            for (long window = from; window < ended; window++) {
                long w = window;
                List<Credentials> missing = named.stream()
                        .filter(k -> !done.contains(w + "/" + k.getAddress().toLowerCase(Locale.ROOT)))
                        .toList();
                if (!missing.isEmpty() && !skipped.contains(window)) {
                    written.addAll(report(watch, window, missing, skipped));
                }
            }
        }
        return written;
    }

    private List<Signed> report(
            Watch watch, long window, List<Credentials> missing, java.util.NavigableSet<Long> skipped) {
        Instant start = watch.terms().windowStart(window);
        Instant end = watch.terms().windowEnd(window);
        return switch (measure.measure(watch.listing(), start, end)) {
            case Measurement.NotObserved notObserved -> {
                skipped.add(window);
                yield List.of();
            }
            case Measurement.Measured measured ->
                missing.stream()
                        .filter(key -> sign(watch, window, key, measured, start, end))
                        .map(key -> new Signed(
                                watch.channel(),
                                window,
                                key.getAddress().toLowerCase(Locale.ROOT),
                                measured.availabilityBps()))
                        .toList();
        };
    }

    private boolean sign(
            Watch watch, long window, Credentials key, Measurement.Measured measured, Instant start, Instant end) {
        byte[] digest =
                VoucherSignatures.windowReportDigest(chainId, watch.channel(), window, measured.availabilityBps());
        String signature = Numeric.toHexString(VoucherSignatures.sign(digest, key.getEcKeyPair()));
        Map<String, Object> observations = new LinkedHashMap<>();
        measured.observations()
                .forEach(o -> observations.put(o.source(), Map.of("good", o.good(), "total", o.total())));
        int rows = jdbc.sql("""
                        insert into sla_report (channel, window_index, monitor, availability_bps, signature, window_start,
                            window_end, observations) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict do nothing""")
                .params(
                        watch.channel(),
                        window,
                        key.getAddress().toLowerCase(Locale.ROOT),
                        measured.availabilityBps(),
                        signature,
                        Timestamp.from(start),
                        Timestamp.from(end),
                        json.writeValueAsString(observations))
                .update();
        if (rows == 1) {
            log.atInfo()
                    .addKeyValue("channel", watch.channel())
                    .addKeyValue("window", window)
                    .addKeyValue("monitor", key.getAddress().toLowerCase(Locale.ROOT))
                    .addKeyValue("availabilityBps", measured.availabilityBps())
                    .addKeyValue("digest", Numeric.toHexString(digest))
                    .log("window report signed");
        }
        return rows == 1;
    }
}
