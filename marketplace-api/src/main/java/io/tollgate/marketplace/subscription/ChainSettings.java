package io.tollgate.marketplace.subscription;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chain subscriptions are created and verified on.
 *
 * @param rpcUrl the Ethereum JSON-RPC node
 * @param factory the IntermediaryFactory consumers create channels with; none: subscriptions are refused
 * @param tolerance T_r of new channels
 * @param closeDelay T_c of new channels (more than twice T_r)
 */
@ConfigurationProperties("tollgate.chain")
public record ChainSettings(
        @DefaultValue("http://127.0.0.1:8545") String rpcUrl,
        @DefaultValue("31337") long chainId,
        String factory,
        @DefaultValue("60s") Duration tolerance,
        @DefaultValue("15m") Duration closeDelay) {}
