package io.tollgate.marketplace.demo;

import io.tollgate.settings.Secret;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded demo.
 *
 * @param enabled seed demo providers and listings at startup (idempotent)
 * @param upstreamUrl the example upstream API the demo listings route to
 * @param upstreamSecret the upstream secret of the demo listings (64 hex digits), the one the example upstream is
 *     started with; none: each demo listing keeps its own random secret
 * @param historyChannel the demo chain's history channel (its epoch 1 redeemed on chain): its usage rows are
 *     seeded over the last two weeks; none: no history
 * @param channel the demo chain's funded channel to the weather listing; with the history channel (quotes) it is
 *     seeded as the demo consumer's active subscription, with the terms it holds on chain, so gateways admit it
 * @param usdToken the demo dollar DemoUsd's address on the demo chain: the fx-rates listing is priced in it (0.001
 *     and 0.002 USDT-demo a call); none: no fx-rates listing
 * @param usdChannel the demo chain's channel in the demo dollar to the fx-rates listing: seeded as the demo
 *     consumer's active subscription, with its epoch-1 history as usage rows of the last week
 */
@Validated
@ConfigurationProperties("tollgate.demo")
public record DemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://127.0.0.1:8081") URI upstreamUrl,

        @DefaultValue("") Secret upstreamSecret,
        String historyChannel,
        String channel,
        String usdToken,
        String usdChannel) {

    public DemoProperties {
        if (upstreamSecret.isSet() && !upstreamSecret.value().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("tollgate.demo.upstream-secret: 64 lower-case hex digits");
        }
    }
}
