package io.tollgate.marketplace.chain;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chain indexer (it follows {@code tollgate.chain.rpc-url} and {@code tollgate.chain.factory}).
 *
 * @param enabled run the indexer in this process (every replica may: a PostgreSQL advisory lock lets one index)
 * @param confirmations blocks a block must have on top before it is indexed; a re-org deeper than this is undone
 * @param pollInterval how often to look for new blocks once caught up
 * @param batchBlocks the most blocks one poll indexes
 * @param startBlock the first block to index on a fresh database (the factory's deployment block, say)
 */
@ConfigurationProperties("tollgate.indexer")
public record IndexerProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("2") int confirmations,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("500") int batchBlocks,
        @DefaultValue("0") long startBlock) {
    public IndexerProperties {
        if (confirmations < 0 || batchBlocks < 1 || startBlock < 0) {
            throw new IllegalArgumentException(
                    "tollgate.indexer: confirmations and start-block must be >= 0, batch-blocks >= 1");
        }
    }
}
