package io.tollgate.settings.schedule;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A background loop, started and stopped with the application context: one reactive task every
 * {@code interval}, the first one interval after the start (or {@link #firstRunAfter another delay}). Runs never
 * overlap: a run that outlasts the interval lets the ticks it covered pass, and the next one starts at the following
 * tick. A run that fails is logged and tried again at the next tick; the loop itself never ends before {@link
 * #stop}, which cancels a run under way (a {@link #blocking} one is interrupted).
 *
 * <p>{@link #every} is the same loop without the lifecycle, for one that lives as long as some piece of work, or
 * inside a component that does more when it starts or stops.
 */
public final class Ticker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Ticker.class);

    private final String name;
    private final Duration firstRun;
    private final Duration interval;
    private final Supplier<? extends Mono<?>> task;
    private final boolean enabled;
    private volatile boolean started;
    private volatile Disposable running;

    /**
     * @param name what the loop does, in its logs
     * @param task one run; subscribed to afresh at every tick
     */
    public Ticker(String name, Duration interval, Supplier<? extends Mono<?>> task) {
        this(name, interval, interval, task, true);
    }

    private Ticker(
            String name, Duration firstRun, Duration interval, Supplier<? extends Mono<?>> task, boolean enabled) {
        if (!interval.isPositive()) {
            throw new IllegalArgumentException(name + ": the interval must be positive: " + interval);
        }
        if (firstRun.isNegative()) {
            throw new IllegalArgumentException(name + ": the first run cannot be before the start: " + firstRun);
        }
        this.name = name;
        this.firstRun = firstRun;
        this.interval = interval;
        this.task = task;
        this.enabled = enabled;
    }

    /** A loop that is configured off: it starts and stops with the context, and never runs. */
    public static Ticker disabled(String name) {
        return new Ticker(name, Duration.ofDays(1), Duration.ofDays(1), Mono::empty, false);
    }

    /** The same loop, its first run {@code delay} after the start ({@link Duration#ZERO}: at once). */
    public Ticker firstRunAfter(Duration delay) {
        return new Ticker(name, delay, interval, task, enabled);
    }

    /**
     * A task that blocks (JDBC, a blocking HTTP or JSON-RPC client) as one run: on {@code boundedElastic}, never on
     * the thread of the tick.
     */
    public static Supplier<Mono<Void>> blocking(Runnable work) {
        return () -> Mono.<Void>fromRunnable(work).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Runs {@code task} every {@code interval} until the returned handle is disposed, one run at a time; a run
     * that fails goes to {@code failed}, and the next tick runs again.
     */
    public static Disposable every(
            Duration interval, Supplier<? extends Mono<?>> task, Consumer<? super Throwable> failed) {
        return every(interval, interval, task, failed);
    }

    /** {@link #every(Duration, Supplier, Consumer)} with the first run {@code firstRun} after the call. */
    public static Disposable every(
            Duration firstRun,
            Duration interval,
            Supplier<? extends Mono<?>> task,
            Consumer<? super Throwable> failed) {
        return Flux.interval(firstRun, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(task).then().onErrorResume(e -> {
                    failed.accept(e);
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void start() {
        started = true;
        if (!enabled) {
            return;
        }
        running = every(
                firstRun,
                interval,
                task,
                e -> log.atWarn()
                        .addKeyValue("loop", name)
                        .setCause(e)
                        .log("{} failed; tried again at the next tick", name));
    }

    @Override
    public void stop() {
        started = false;
        var loop = running;
        running = null;
        if (loop != null) {
            loop.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public String toString() {
        return enabled ? "Ticker[" + name + " every " + interval + "]" : "Ticker[" + name + ": disabled]";
    }
}
