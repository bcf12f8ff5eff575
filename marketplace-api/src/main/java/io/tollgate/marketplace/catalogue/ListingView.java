package io.tollgate.marketplace.catalogue;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.util.List;

/**
 * A listing as the API shows it: amounts as decimal strings, never JSON numbers.
 *
 * @param token {@code ether}, or the ERC-20 address channels of this listing are funded in
 * @param priceTableHash the hash a channel holding the list prices signs in its vouchers
 * @param version the number of the listing's latest version ({@code GET /api/listings/{slug}/versions}); 0 when
 *     none was recorded
 * @param sla the SLA terms every channel of the listing holds; null: none
 */
public record ListingView(
        String slug,
        String name,
        String provider,
        String providerName,
        String payoutAddress,
        String description,
        String upstreamUrl,
        String docsUrl,
        String token,
        List<CategoryView> categories,
        List<RouteView> routes,
        String priceTableHash,
        int version,
        SlaView sla) {

    public record CategoryView(int category, String name, String priceWei) {}

    public record RouteView(String method, String path, int category) {}

    /** The hash of the list prices, or null for a listing without categories (never written by the API). */
    static String priceTableHash(List<CategoryView> categories) {
        return categories.isEmpty()
                ? null
                : new PriceTable(categories.stream()
                                .map(c -> Wei.parse(c.priceWei()))
                                .toList())
                        .hashHex();
    }
}
