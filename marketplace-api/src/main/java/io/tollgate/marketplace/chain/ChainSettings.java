package io.tollgate.marketplace.chain;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The chain subscriptions are created and verified on.
 *
 * @param rpcUrl the Ethereum JSON-RPC node
 * @param factory the IntermediaryFactory consumers create channels with; none: subscriptions are refused
 * @param tolerance T_r of new channels
 * @param closeDelay T_c of new channels: at least 2·T_r + 30 s, so that a redemption the gateway starts when it
 *     sees a close request still finishes before the close (startup fails otherwise)
 */
@Validated
@ConfigurationProperties("tollgate.chain")
public record ChainSettings(
        @DefaultValue("http://127.0.0.1:8545") String rpcUrl,
        @DefaultValue("31337") @Positive long chainId,
        String factory,
        @DefaultValue("60s") Duration tolerance,
        @DefaultValue("15m") Duration closeDelay) {

    /** What T_c must at least be beside T_r: one full redemption (2·T_r) and a margin for noticing the close. */
    public static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);

    public ChainSettings {
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tollgate.chain.tolerance (T_r) must be positive: " + tolerance);
        }
        if (closeDelay.compareTo(minimumCloseDelay(tolerance)) < 0) {
            throw new IllegalArgumentException("tollgate.chain.close-delay (T_c) " + closeDelay.toSeconds()
                    + " s is unsafe: with T_r " + tolerance.toSeconds() + " s it must be at least "
                    + minimumCloseDelay(tolerance).toSeconds() + " s (2·T_r + 30 s)");
        }
    }

    public static Duration minimumCloseDelay(Duration tolerance) {
        return tolerance.multipliedBy(2).plus(CLOSE_MARGIN);
    }
}
