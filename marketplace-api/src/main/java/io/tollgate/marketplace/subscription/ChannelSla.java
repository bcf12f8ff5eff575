package io.tollgate.marketplace.subscription;

import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.marketplace.catalogue.SlaView;
import java.time.Instant;

/**
 * The SLA terms a subscription's channel was prepared with: the listing's terms at the time and the start of the
 * first window (a whole minute, so that windows cover whole rows of the per-minute measurements). Stored as
 * JSON in {@code subscription.sla_terms}.
 *
 * @param startEpochSecond the first window's start, in seconds since 1970
 */
public record ChannelSla(long startEpochSecond, SlaView terms) {
    public Instant start() {
        return Instant.ofEpochSecond(startEpochSecond);
    }

    /** What the channel holds on chain. */
    public SlaTerms onChain() {
        return terms.channelTerms(start());
    }
}
