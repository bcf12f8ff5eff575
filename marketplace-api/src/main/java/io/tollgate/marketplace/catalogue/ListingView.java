package io.tollgate.marketplace.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.util.List;

/**
 * A listing as the API shows it: amounts as decimal strings, never JSON numbers.
 *
 * @param upstreamUrl where gateways forward the listing's requests: shown only to the listing's provider and operators
 *     (absent from the public catalogue)
 * @param token what the listing's amounts count and channels are funded in: the ERC-20's address, symbol and
 *     decimals, or ether (the zero address, ETH, 18)
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
        @JsonInclude(JsonInclude.Include.NON_NULL) String upstreamUrl,
        String docsUrl,
        TokenView token,
        List<CategoryView> categories,
        List<RouteView> routes,
        String priceTableHash,
        int version,
        SlaView sla) {

    /** This view for {@code caller}: without the upstream URL unless the caller is the provider or an operator. */
    ListingView shownTo(org.springframework.security.oauth2.jwt.@org.jspecify.annotations.Nullable Jwt caller) {
        return UpstreamAccess.canSee(caller, payoutAddress) ? this : withoutUpstream();
    }

    ListingView withoutUpstream() {
        return new ListingView(
                slug,
                name,
                provider,
                providerName,
                payoutAddress,
                description,
                null,
                docsUrl,
                token,
                categories,
                routes,
                priceTableHash,
                version,
                sla);
    }

    /**
     * @param priceWei the price in base units (wei, or the token's smallest unit)
     * @param price the same in whole units of the listing's token ("0.001"), exact
     */
    public record CategoryView(
            int category,
            String name,
            String priceWei,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            @org.jspecify.annotations.Nullable
            String price) {}

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
