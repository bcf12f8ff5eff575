package io.tollgate.monitor;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.monitor.measure.Prober;
import io.tollgate.monitor.report.Reporter;
import io.tollgate.monitor.submit.Submitter;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.monitor.watch.WatchedChannels;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the monitor's loops on timers: the feed, the probes, the reports and (with a submitter key) the
 * submissions. A failed pass (the marketplace, the database or the node unreachable) is logged and tried again at
 * the next tick; everything a pass needs to go on is in the database.
 */
@Component
class MonitorRunner implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(MonitorRunner.class);

    private final WatchedChannels watched;
    private final Prober prober;
    private final Reporter reporter;
    private final Optional<Submitter> submitter;
    private final MonitorProperties monitor;
    private final SubmitterProperties submitting;
    private final MeterRegistry meters;
    private ScheduledExecutorService timers;

    MonitorRunner(
            WatchedChannels watched,
            Prober prober,
            Reporter reporter,
            Optional<Submitter> submitter,
            MonitorProperties monitor,
            SubmitterProperties submitting,
            MeterRegistry meters) {
        this.watched = watched;
        this.prober = prober;
        this.reporter = reporter;
        this.submitter = submitter;
        this.monitor = monitor;
        this.submitting = submitting;
        this.meters = meters;
    }

    @Override
    public synchronized void start() {
        timers = Executors.newScheduledThreadPool(
                4, Thread.ofPlatform().name("monitor-", 0).daemon().factory());
        every("feed", monitor.feedInterval(), watched::refresh);
        if (!reporter.monitors().isEmpty()) {
            every("probes", monitor.probeInterval(), this::probe);
            every("reports", monitor.tick(), this::report);
        }
        submitter.ifPresent(s -> every("submissions", submitting.tick(), () -> submit(s)));
        log.atInfo()
                .addKeyValue("monitors", reporter.monitors())
                .addKeyValue("submitter", submitter.isPresent())
                .log("SLA monitor started");
    }

    private void probe() {
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
    }

    private void report() {
        List<Reporter.Signed> signed = reporter.report(watched.current());
        meters.counter("tollgate.monitor.reports").increment(signed.size());
    }

    private void submit(Submitter s) {
        for (Submitter.Outcome outcome : s.submit(watched.current())) {
            meters.counter(
                            "tollgate.submitter.windows",
                            "outcome",
                            outcome.getClass().getSimpleName())
                    .increment();
        }
    }

    private void every(String what, Duration interval, Runnable pass) {
        timers.scheduleWithFixedDelay(
                () -> {
                    try {
                        pass.run();
                    } catch (RuntimeException e) {
                        log.atWarn()
                                .addKeyValue("loop", what)
                                .log("{} pass failed, next in {}: {}", what, interval, e.toString());
                    }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timers != null) {
            timers.shutdownNow();
            timers = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timers != null;
    }
}
