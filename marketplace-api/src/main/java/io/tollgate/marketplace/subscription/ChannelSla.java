package io.tollgate.marketplace.subscription;

import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.marketplace.catalogue.SlaView;
import java.time.Instant;

/**
 * The SLA terms a subscription's channel was prepared with: the listing's terms at the time and the start of the
 * first window (a whole minute, so that windows cover whole rows of the per-minute measurements). Stored as
 * JSON in {@code subscription.sla_terms}.
 *
 * @param startEpochSecond the first window's start, in seconds since 1970; on release 2 the channel's creation
 *     (0 until the channel is verified: the marketplace no longer chooses it)
 * @param release the Intermediary release the channel was prepared for (or found on)
 */
public record ChannelSla(long startEpochSecond, SlaView terms, int release) {
    /** Terms of a release-1 channel (stored before the release was). */
    public ChannelSla {
        if (release == 0) {
            release = 1;
        }
    }

    public ChannelSla(long startEpochSecond, SlaView terms) {
        this(startEpochSecond, terms, 1);
    }

    /** Whether the channel settles in two steps, with a report period (release 2). */
    public boolean twoStep() {
        return release >= 2;
    }

    public Instant start() {
        return Instant.ofEpochSecond(startEpochSecond);
    }

    /** What the channel holds on chain. */
    public SlaTerms onChain() {
        return terms.channelTerms(start());
    }
}
