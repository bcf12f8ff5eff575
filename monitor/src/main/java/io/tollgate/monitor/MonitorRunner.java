package io.tollgate.monitor;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.monitor.measure.Prober;
import io.tollgate.monitor.report.Reporter;
import io.tollgate.monitor.submit.Submitter;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.monitor.watch.WatchedChannels;
import io.tollgate.settings.schedule.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Runs the monitor's loops, each a {@link Ticker} whose first pass is at startup: the feed, the probes, the reports
 * and (with a submitter key) the submissions. A failed pass (the marketplace, the database or the node unreachable)
 * is logged and tried again at the next tick; everything a pass needs to go on is in the database.
 */
@Configuration(proxyBeanMethods = false)
class MonitorRunner {
    private static final Logger log = LoggerFactory.getLogger(MonitorRunner.class);

    private final Reporter reporter;
    private final Optional<Submitter> submitter;

    MonitorRunner(Reporter reporter, Optional<Submitter> submitter) {
        this.reporter = reporter;
        this.submitter = submitter;
    }

    @Bean
    Ticker feedLoop(WatchedChannels watched, MonitorProperties monitor) {
        return loop("feed", monitor.feedInterval(), watched::refresh);
    }

    @Bean
    Ticker probeLoop(WatchedChannels watched, Prober prober, MonitorProperties monitor, MeterRegistry meters) {
        if (reporter.monitors().isEmpty()) {
            return Ticker.disabled("probes");
        }
        return loop("probes", monitor.probeInterval(), () -> {
            Map<String, String> urls = new LinkedHashMap<>();
            for (Watch w : watched.current()) {
                if (reporter.monitors().stream().anyMatch(m -> w.terms().names(m))) {
                    urls.putIfAbsent(w.listing(), w.probeUrl());
                }
            }
            for (var p : prober.probe(urls)) {
                meters.counter("tollgate.monitor.probes", "outcome", p.ok() ? "ok" : "failed")
                        .increment();
            }
        });
    }

    @Bean
    Ticker reportLoop(WatchedChannels watched, MonitorProperties monitor, MeterRegistry meters) {
        if (reporter.monitors().isEmpty()) {
            return Ticker.disabled("reports");
        }
        return loop("reports", monitor.tick(), () -> {
            List<Reporter.Signed> signed = reporter.report(watched.current());
            meters.counter("tollgate.monitor.reports").increment(signed.size());
        });
    }

    @Bean
    Ticker submissionLoop(WatchedChannels watched, SubmitterProperties submitting, MeterRegistry meters) {
        return submitter
                .map(s -> loop("submissions", submitting.tick(), () -> {
                    for (Submitter.Outcome outcome : s.submit(watched.current())) {
                        meters.counter(
                                        "tollgate.submitter.windows",
                                        "outcome",
                                        outcome.getClass().getSimpleName())
                                .increment();
                    }
                }))
                .orElseGet(() -> Ticker.disabled("submissions"));
    }

    @EventListener(ApplicationStartedEvent.class)
    void started() {
        log.atInfo()
                .addKeyValue("monitors", reporter.monitors())
                .addKeyValue("submitter", submitter.isPresent())
                .log("SLA monitor started");
    }

    /** A loop of blocking passes, the first at startup; a failed pass is logged and tried again at the next tick. */
    private static Ticker loop(String what, Duration interval, Runnable pass) {
        return new Ticker(what, interval, Ticker.blocking(() -> {
                    try {
                        pass.run();
                    } catch (RuntimeException e) {
                        log.atWarn()
                                .addKeyValue("loop", what)
                                .log("{} pass failed, next in {}: {}", what, interval, e.toString());
                    }
                }))
                .firstRunAfter(Duration.ZERO);
    }
}
