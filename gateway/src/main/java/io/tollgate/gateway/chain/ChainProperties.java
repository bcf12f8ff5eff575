package io.tollgate.gateway.chain;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The chain the gateway reads channels from, and how fresh it keeps them.
 *
 * @param rpcUrl the Ethereum JSON-RPC endpoint
 * @param chainId the chain id every channel's EIP-712 domain must carry
 * @param factories the Intermediary factories whose channels are accepted
 * @param implementationCodeHashes keccak-256 of the runtime code of the implementations accepted
 * @param redemptionTolerance T_r: how long an expiring epoch is still accepted
 * @param safetyMargin stop accepting an expiring epoch this long before T_r ends
 * @param refreshShareBps epoch, funds and close state are refreshed after this share of T_r (basis points)
 */
@Validated
@ConfigurationProperties("tollgate.chain")
public record ChainProperties(
        @DefaultValue("http://127.0.0.1:8545") String rpcUrl,
        @DefaultValue("31337") long chainId,
        @DefaultValue List<String> factories,
        @DefaultValue List<String> implementationCodeHashes,
        @DefaultValue("60s") Duration redemptionTolerance,
        @DefaultValue("10s") Duration safetyMargin,
        @DefaultValue("1000") @Min(1) @Max(10000) int refreshShareBps) {

    /** How old epoch, funds and close state may get before a background refresh. */
    public Duration refreshAfter() {
        return redemptionTolerance.multipliedBy(refreshShareBps).dividedBy(10_000);
    }
}
