package io.tollgate.gateway.payment;

import io.tollgate.pricing.Wei;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Listings configured on the gateway, {@code tollgate.gateway.listings.<id>.*}; also the
 * {@link ListingCatalog} built from them.
 */
@Validated
@ConfigurationProperties("tollgate.gateway")
public record ListingProperties(@DefaultValue Map<String, ListingEntry> listings) implements ListingCatalog {

    /**
     * @param provider payout address of the provider
     * @param factory the factory channels must come from
     * @param subscribeUrl where consumers subscribe
     * @param prices list price per category, decimal wei
     * @param minimumPrices least price per category a channel may hold, decimal wei (optional)
     * @param operator the operator address channels must name (optional: not checked)
     */
    public record ListingEntry(
            String provider,
            String factory,
            URI subscribeUrl,
            @DefaultValue List<String> prices,
            @DefaultValue List<String> minimumPrices,
            String operator) {}

    @Override
    public Optional<Listing> find(String listingId) {
        return Optional.ofNullable(listings.get(listingId))
                .map(e -> new Listing(
                        listingId,
                        e.provider().toLowerCase(java.util.Locale.ROOT),
                        e.factory().toLowerCase(java.util.Locale.ROOT),
                        e.subscribeUrl(),
                        e.prices().stream().map(Wei::parse).toList(),
                        e.minimumPrices().stream().map(Wei::parse).toList(),
                        Optional.ofNullable(e.operator())));
    }
}
