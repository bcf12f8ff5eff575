package io.tollgate.client;

import io.tollgate.pricing.Wei;

/**
 * Tops up a channel's deposit, e.g. with the consumer owner's wallet through the channel client. Called by
 * {@link TollgateClient} off the request thread, at most once at a time, when the gateway reports a
 * remaining credit below the configured threshold.
 */
@FunctionalInterface
public interface TopUp {
    void topUp(ChannelTerms channel, Wei remainingCredit);
}
