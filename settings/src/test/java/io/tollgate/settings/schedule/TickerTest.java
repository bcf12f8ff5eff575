package io.tollgate.settings.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

class TickerTest {
    private static final Duration TICK = Duration.ofMillis(20);

    @Test
    void runsEveryIntervalOneRunAtATimeEvenWhenARunOutlastsTheInterval() throws InterruptedException {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch fiveRuns = new CountDownLatch(5);
        var ticker = new Ticker(
                "slow",
                TICK,
                () -> Mono.fromRunnable(() -> {
                            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        })
                        .delayElement(TICK.multipliedBy(3))
                        .doFinally(signal -> {
                            inFlight.decrementAndGet();
                            fiveRuns.countDown();
                        }));

        ticker.start();
        try {
            assertThat(fiveRuns.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            ticker.stop();
        }
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void aFailedRunIsTriedAgainAtTheNextTick() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch thirdRun = new CountDownLatch(3);
        var ticker = new Ticker(
                "failing",
                TICK,
                () -> Mono.defer(() -> {
                    runs.incrementAndGet();
                    thirdRun.countDown();
                    return Mono.error(new IllegalStateException("the node did not answer"));
                }));

        ticker.start();
        try {
            assertThat(thirdRun.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            ticker.stop();
        }
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theFirstRunComesOneIntervalAfterTheStartUnlessToldOtherwise() throws InterruptedException {
        CountDownLatch later = new CountDownLatch(1);
        CountDownLatch atOnce = new CountDownLatch(1);
        var hourly = new Ticker("hourly", Duration.ofHours(1), () -> Mono.fromRunnable(later::countDown));
        var hourlyFromTheStart = new Ticker("hourly", Duration.ofHours(1), () -> Mono.fromRunnable(atOnce::countDown))
                .firstRunAfter(Duration.ZERO);

        hourly.start();
        hourlyFromTheStart.start();
        try {
            assertThat(atOnce.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(later.await(200, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            hourly.stop();
            hourlyFromTheStart.stop();
        }
    }

    @Test
    void stopEndsTheLoopAndInterruptsABlockingRunUnderWay() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        var ticker = new Ticker("blocking", TICK, Ticker.blocking(() -> {
                    runs.incrementAndGet();
                    running.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(1));
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                }))
                .firstRunAfter(Duration.ZERO);

        ticker.start();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ticker.isRunning()).isTrue();
        ticker.stop();

        assertThat(ticker.isRunning()).isFalse();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        int afterStop = runs.get();
        CountDownLatch never = new CountDownLatch(1);
        assertThat(never.await(TICK.multipliedBy(10).toMillis(), TimeUnit.MILLISECONDS))
                .isFalse();
        assertThat(runs).hasValue(afterStop);
    }

    @Test
    void aDisabledLoopStartsAndStopsAndNeverRuns() {
        var ticker = Ticker.disabled("redemption");

        ticker.start();
        assertThat(ticker.isRunning()).isTrue();
        assertThat(ticker).hasToString("Ticker[redemption: disabled]");
        ticker.stop();
        assertThat(ticker.isRunning()).isFalse();
    }

    @Test
    void everyRunsUntilDisposedAndHandsFailuresOver() throws InterruptedException {
        CountDownLatch failures = new CountDownLatch(2);
        Disposable loop =
                Ticker.every(Duration.ZERO, TICK, () -> Mono.error(new IllegalStateException("lease lost")), e -> {
                    if (e.getMessage().equals("lease lost")) {
                        failures.countDown();
                    }
                });
        try {
            assertThat(failures.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            loop.dispose();
        }
        assertThat(loop.isDisposed()).isTrue();
    }

    @Test
    void anIntervalThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new Ticker("feed", Duration.ZERO, Mono::empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feed: the interval must be positive");
    }
}
