package io.tollgate.marketplace.catalogue;

import java.util.List;

/**
 * A listing as the API shows it: amounts as decimal strings, never JSON numbers.
 *
 * @param priceTableHash the hash a channel holding the list prices signs in its vouchers
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
        String priceTableHash) {

    public record CategoryView(int category, String name, String priceWei) {}

    public record RouteView(String method, String path, int category) {}

    static ListingView of(Listing listing) {
        return new ListingView(
                listing.slug(),
                listing.name(),
                listing.provider().slug(),
                listing.provider().name(),
                listing.provider().payoutAddress(),
                listing.description(),
                listing.upstreamUrl(),
                listing.docsUrl(),
                listing.tokenAddress() == null ? "ether" : listing.tokenAddress(),
                listing.categories().stream()
                        .map(c -> new CategoryView(
                                c.category(), c.name(), c.price().toString()))
                        .toList(),
                listing.routes().stream()
                        .map(r -> new RouteView(r.method(), r.pathPattern(), r.category()))
                        .toList(),
                listing.listPrices().hashHex());
    }
}
