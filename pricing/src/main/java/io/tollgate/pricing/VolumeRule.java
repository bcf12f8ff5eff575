package io.tollgate.pricing;

import java.util.Comparator;
import java.util.List;

/**
 * A provider's automatic discounts: each tier gives a discount (in basis points off the list price) to a
 * consumer who deposits at least {@code minimumDeposit} and commits to at least {@code minimumRequests};
 * the best tier a request qualifies for applies.
 */
public record VolumeRule(List<Tier> tiers) {
    public static final VolumeRule NONE = new VolumeRule(List.of());

    public record Tier(Wei minimumDeposit, long minimumRequests, BasisPoints discount) {
        public Tier {
            if (minimumDeposit == null || discount == null || minimumRequests < 0) {
                throw new IllegalArgumentException("a tier needs a deposit, a non-negative volume and a discount");
            }
        }

        boolean appliesTo(QuoteRequest request) {
            return request.deposit().compareTo(minimumDeposit) >= 0 && request.expectedRequests() >= minimumRequests;
        }
    }

    public VolumeRule {
        tiers = List.copyOf(tiers);
    }

    /** The largest discount of the tiers {@code request} qualifies for; zero when none. */
    public BasisPoints discountFor(QuoteRequest request) {
        return tiers.stream()
                .filter(tier -> tier.appliesTo(request))
                .map(Tier::discount)
                .max(Comparator.naturalOrder())
                .orElse(BasisPoints.ZERO);
    }
}
