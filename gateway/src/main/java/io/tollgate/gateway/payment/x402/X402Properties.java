package io.tollgate.gateway.payment.x402;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * x402 on the gateway, {@code tollgate.gateway.x402.*}.
 *
 * @param maxTimeoutSeconds the {@code maxTimeoutSeconds} of the {@code exact} terms: how long a client's
 *     authorization stays valid (the official client signs validBefore = now + this)
 * @param settlementMargin an authorization must stay valid at least this long after it is checked, so that its
 *     settlement is mined before validBefore
 * @param keyPrefix the prefix of the Redis keys that reserve used authorization nonces across replicas
 * @param tokenDomains per token address (lower case), its EIP-712 domain name and version when the token does not
 *     report them ({@code eip712Domain()}, ERC-5267)
 * @param facilitatorUrl an x402 facilitator that settles {@code exact} payments ({@code POST <url>/settle}) instead
 *     of the operator key; empty: the operator key settles
 * @param facilitatorTimeout how long the facilitator may take to settle
 */
@ConfigurationProperties("tollgate.gateway.x402")
public record X402Properties(
        @DefaultValue("60") long maxTimeoutSeconds,
        @DefaultValue("6s") Duration settlementMargin,
        @DefaultValue("tollgate-x402") String keyPrefix,
        @DefaultValue Map<String, TokenDomain> tokenDomains,
        @DefaultValue("") String facilitatorUrl,
        @DefaultValue("30s") Duration facilitatorTimeout) {

    /** A token's EIP-712 domain name and version. */
    public record TokenDomain(String name, String version) {}
}
