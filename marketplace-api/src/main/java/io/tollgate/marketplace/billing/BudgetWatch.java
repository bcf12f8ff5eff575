package io.tollgate.marketplace.billing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Checks every consumer's budget every {@code tollgate.billing.budget-check-interval} (default 1 minute). */
@Component
class BudgetWatch implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(BudgetWatch.class);

    private final Budgets budgets;
    private final Duration interval;
    private ScheduledExecutorService timer;

    BudgetWatch(Budgets budgets, BillingProperties properties) {
        this.budgets = budgets;
        this.interval = properties.budgetCheckInterval();
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("budget-watch").daemon().factory());
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        budgets.checkAll();
                    } catch (RuntimeException e) {
                        log.warn("budget check failed: {}", e.getMessage());
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
