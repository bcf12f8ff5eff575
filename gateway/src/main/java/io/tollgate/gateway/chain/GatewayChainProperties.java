package io.tollgate.gateway.chain;

import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import io.tollgate.settings.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's own chain settings, beside the shared {@link ChainProperties} (rpc-url, chain-id, factories,
 * redemption-tolerance, gas-price-ceiling) under the same prefix {@code tollgate.chain}: which implementations it
 * trusts, how fresh it keeps channels, and the operator key it redeems with.
 *
 * @param implementationCodeHashes keccak-256 of the runtime code of the implementations accepted
 * @param safetyMargin stop accepting an expiring epoch this long before T_r ends
 * @param refreshShareBps epoch, funds and close state are refreshed after this share of T_r (basis points)
 * @param staticChannels channels declared in configuration instead of read from a chain: for the benchmark and
 *     local experiments only; when set, no chain is read at all
 * @param operatorKey the provider's operator (hot) key, hex; it can only start and finish redemptions, whose
 *     funds go to the payout address. Empty: this gateway does not redeem. Pass it through the environment
 *     ({@code TOLLGATE_CHAIN_OPERATOR_KEY}), never in a file in a repository; it is never logged.
 * @param noContractRetry how long an address without a contract is refused before the chain is read again (it
 *     may be a channel the node has not seen yet, or whose address was guessed before it was created)
 */
@Validated
@ConfigurationProperties("tollgate.chain")
public record GatewayChainProperties(
        @DefaultValue List<String> implementationCodeHashes,
        @DefaultValue("10s") Duration safetyMargin,
        @DefaultValue("1000") @Min(1) @Max(10000) int refreshShareBps,
        @DefaultValue Map<String, StaticChannel> staticChannels,
        @DefaultValue("") Secret operatorKey,
        @DefaultValue("5s") Duration noContractRetry) {

    /**
     * A channel declared in configuration, in its first epoch.
     *
     * @param signer the consumer's signer address
     * @param provider the provider payout address
     * @param factory the factory it claims to come from
     * @param prices price per category, decimal wei
     * @param deposit unredeemed deposit, decimal wei
     * @param operator the operator key it names (must be the listing's)
     * @param owner the consumer's cold key (default: the signer)
     * @param token the ERC-20 it holds (default: ether)
     * @param redeemWindow its T_r
     * @param closeDelay its T_c
     */
    public record StaticChannel(
            String signer,
            String provider,
            String factory,
            List<Wei> prices,
            Wei deposit,
            String operator,
            String owner,
            @DefaultValue(ChannelState.ETHER) String token,
            @DefaultValue("60s") Duration redeemWindow,
            @DefaultValue("900s") Duration closeDelay) {}

    /** How old epoch, funds and close state may get before a background refresh: this share of T_r. */
    public Duration refreshAfter(Duration redemptionTolerance) {
        return redemptionTolerance.multipliedBy(refreshShareBps).dividedBy(BasisPoints.WHOLE);
    }
}
