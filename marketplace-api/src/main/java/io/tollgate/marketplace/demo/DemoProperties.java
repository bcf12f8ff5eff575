package io.tollgate.marketplace.demo;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded demo.
 *
 * @param enabled seed demo providers and listings at startup (idempotent)
 * @param upstreamUrl the example upstream API the demo listings route to
 * @param historyChannel the demo chain's history channel (its epoch 1 redeemed on chain): its usage rows are
 *     seeded over the last two weeks; none: no history
 * @param channel the demo chain's funded channel to the weather listing; with the history channel (quotes) it is
 *     seeded as the demo consumer's active subscription, with the terms it holds on chain, so gateways admit it
 */
@ConfigurationProperties("tollgate.demo")
public record DemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://127.0.0.1:8081") URI upstreamUrl,
        String historyChannel,
        String channel) {}
