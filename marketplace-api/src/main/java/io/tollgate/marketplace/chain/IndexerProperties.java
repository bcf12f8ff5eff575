package io.tollgate.marketplace.chain;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The chain indexer (it follows {@code tollgate.chain.rpc-url} and {@code tollgate.chain.factories}).
 *
 * @param enabled run the indexer in this process (every replica may: a PostgreSQL advisory lock lets one index)
 * @param confirmations blocks a block must have on top before it is indexed; a re-org deeper than this is undone
 * @param pollInterval how often to look for new blocks once caught up
 * @param batchBlocks the most blocks one poll indexes
 * @param startBlock the first block to index on a fresh database (the factory's deployment block, say)
 */
@Validated
@ConfigurationProperties("tollgate.indexer")
public record IndexerProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("2") @Min(0) int confirmations,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("500") @Min(1) int batchBlocks,
        @DefaultValue("0") @Min(0) long startBlock) {}
