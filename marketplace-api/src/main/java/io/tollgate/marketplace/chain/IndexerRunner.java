package io.tollgate.marketplace.chain;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Runs {@link ChainIndexer#poll} on a timer when {@code tollgate.indexer.enabled}, catching up batch by batch. */
@Component
class IndexerRunner implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(IndexerRunner.class);

    private final ChainIndexer indexer;
    private ScheduledExecutorService timer;

    IndexerRunner(ChainIndexer indexer) {
        this.indexer = indexer;
    }

    @Override
    public synchronized void start() {
        IndexerProperties properties = indexer.properties();
        if (!properties.enabled()) {
            return;
        }
        if (!indexer.configured()) {
            log.warn(
                    "tollgate.indexer.enabled but tollgate.chain.factories is not set: the chain indexer does not run");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("chain-indexer").daemon().factory());
        timer.scheduleWithFixedDelay(this::catchUp, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void catchUp() {
        try {
            for (int i = 0; i < 100; i++) {
                var progress = indexer.poll();
                if (!progress.leader() || progress.caughtUp(indexer.properties().confirmations())) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            log.warn(
                    "chain indexer: {}; trying again in {}",
                    e.getMessage(),
                    indexer.properties().pollInterval());
        }
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
