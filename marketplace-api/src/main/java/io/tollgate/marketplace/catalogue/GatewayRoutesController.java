package io.tollgate.marketplace.catalogue;

import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What gateways poll to route and price every listing: a new listing is routable without restarting them.
 * Public data only (the same as the catalogue), shaped for the gateway.
 */
@RestController
class GatewayRoutesController {
    private final ListingRepository listings;

    GatewayRoutesController(ListingRepository listings) {
        this.listings = listings;
    }

    /**
     * One entry per listing.
     *
     * @param listing the listing id paid routes name ({@code - Payment=<listing>, <category>})
     * @param provider the payout address channels must pay
     * @param operator the operator channels must name (the key the provider's gateways redeem with)
     * @param prices the list price of each category, decimal wei
     * @param upstreamSecret what the gateway sends the upstream in {@code Tollgate-Upstream-Secret} on every request
     * @param routes method, path pattern under {@code /<listing>} and category of each paid route
     */
    record GatewayListing(
            String listing,
            String provider,
            String operator,
            String subscribeUrl,
            String upstreamUrl,
            String upstreamSecret,
            List<String> prices,
            List<ListingView.RouteView> routes) {}

    @GetMapping("/api/gateway/routes")
    @Transactional(readOnly = true)
    List<GatewayListing> routes() {
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
        return listings.search("").stream()
                .map(l -> new GatewayListing(
                        l.slug(),
                        l.provider().payoutAddress(),
                        l.provider().operatorAddress(),
                        base + "/#/listings/" + l.slug(),
                        l.upstreamUrl(),
                        l.upstreamSecret(),
                        l.listPrices().decimals(),
                        l.routes().stream()
                                .map(r -> new ListingView.RouteView(r.method(), r.pathPattern(), r.category()))
                                .toList()))
                .toList();
    }
}
