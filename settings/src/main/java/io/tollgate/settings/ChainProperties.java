package io.tollgate.settings;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chain every service works on, bound from {@code tollgate.chain} in one shape by the marketplace, the gateways
 * and the monitors: the same names mean the same thing everywhere. A service's own chain settings (a gateway's
 * operator key, say) are a record of that service's beside this one, under the same prefix.
 *
 * @param rpcUrl the Ethereum JSON-RPC endpoint
 * @param chainId the chain id every channel's EIP-712 domain must carry
 * @param factories the Intermediary factories whose channels are accepted; the first is the one new channels are
 *     created with (none: the marketplace refuses subscriptions)
 * @param redemptionTolerance T_r: of the channels the marketplace creates, and how long a gateway still accepts an
 *     expiring epoch
 * @param closeDelay T_c of the channels the marketplace creates
 * @param gasPriceCeiling the most a service's key pays per gas, wei
 */
@ConfigurationProperties("tollgate.chain")
public record ChainProperties(
        @DefaultValue("http://127.0.0.1:8545") String rpcUrl,
        @DefaultValue("31337") long chainId,
        @DefaultValue List<String> factories,
        @DefaultValue("60s") Duration redemptionTolerance,
        @DefaultValue("15m") Duration closeDelay,
        @DefaultValue("100000000000") BigInteger gasPriceCeiling) {

    /** What T_c must at least be beside T_r: one full redemption (2·T_r) and a margin for noticing the close. */
    public static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);

    public ChainProperties {
        require(rpcUrl != null && !rpcUrl.isBlank(), "tollgate.chain.rpc-url must be set");
        require(chainId > 0, "tollgate.chain.chain-id must be positive: " + chainId);
        factories = List.copyOf(factories);
        require(
                redemptionTolerance.isPositive(),
                "tollgate.chain.redemption-tolerance (T_r) must be positive: " + redemptionTolerance);
        require(closeDelay.isPositive(), "tollgate.chain.close-delay (T_c) must be positive: " + closeDelay);
        require(gasPriceCeiling.signum() > 0, "tollgate.chain.gas-price-ceiling must be positive: " + gasPriceCeiling);
    }

    /** The factory new channels are created with: the first configured, if any. */
    public Optional<String> newChannelFactory() {
        return factories.stream().findFirst();
    }

    /**
     * Fails unless T_c leaves room for one full redemption after a close is noticed (2·T_r + 30 s): the marketplace
     * calls this before it creates channels with these settings.
     */
    public void requireSafeCloseDelay() {
        Duration minimum = minimumCloseDelay(redemptionTolerance);
        require(
                closeDelay.compareTo(minimum) >= 0,
                "tollgate.chain.close-delay (T_c) " + closeDelay.toSeconds() + " s is unsafe: with T_r "
                        + redemptionTolerance.toSeconds() + " s it must be at least " + minimum.toSeconds()
                        + " s (2·T_r + 30 s)");
    }

    public static Duration minimumCloseDelay(Duration redemptionTolerance) {
        return redemptionTolerance.multipliedBy(2).plus(CLOSE_MARGIN);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
