package io.tollgate.marketplace.chain;

import io.tollgate.settings.schedule.Ticker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs {@link ChainIndexer#poll} on a timer (a {@link Ticker}, the first pass at startup) when {@code
 * tollgate.indexer.enabled}, catching up batch by batch.
 */
@Configuration(proxyBeanMethods = false)
class IndexerRunner {
    private static final Logger log = LoggerFactory.getLogger(IndexerRunner.class);

    @Bean
    Ticker chainIndexerLoop(ChainIndexer indexer) {
        IndexerProperties properties = indexer.properties();
        if (!properties.enabled()) {
            return Ticker.disabled("chain indexer");
        }
        if (!indexer.configured()) {
            log.warn(
                    "tollgate.indexer.enabled but tollgate.chain.factories is not set: the chain indexer does not run");
            return Ticker.disabled("chain indexer");
        }
        return new Ticker("chain indexer", properties.pollInterval(), Ticker.blocking(() -> catchUp(indexer)))
                .firstRunAfter(Duration.ZERO);
    }

    private static void catchUp(ChainIndexer indexer) {
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
}
