package io.tollgate.pricing;

import java.time.Clock;
import java.time.Instant;

/**
 * Terms one side proposes to the other: the price table the channel must hold, the deposit it must
 * carry, and until when the offer stands.
 */
public record Offer(PriceTable prices, Wei deposit, Instant expiresAt) {
    public Offer {
        if (prices == null || deposit == null || expiresAt == null) {
            throw new IllegalArgumentException("an offer needs prices, a deposit and an expiry");
        }
    }

    public boolean expired(Clock clock) {
        return !clock.instant().isBefore(expiresAt);
    }

    /** Whether a channel holding {@code channelPrices} honours this offer (no category cheaper than offered). */
    public boolean honouredBy(PriceTable channelPrices) {
        return channelPrices.atLeast(prices);
    }
}
