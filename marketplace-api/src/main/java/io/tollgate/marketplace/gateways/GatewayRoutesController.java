package io.tollgate.marketplace.gateways;

import io.tollgate.marketplace.catalogue.ListingRepository;
import io.tollgate.marketplace.catalogue.ListingView;
import io.tollgate.marketplace.subscription.ChainSettings;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What gateways poll to route and price every listing: a new listing is routable without restarting them. Holds
 * upstream URLs: gateways only (their credential) and operators.
 */
@RestController
class GatewayRoutesController {
    private static final String ETHER = "0x0000000000000000000000000000000000000000";

    private final ListingRepository listings;
    private final ChainSettings chain;

    GatewayRoutesController(ListingRepository listings, ChainSettings chain) {
        this.listings = listings;
        this.chain = chain;
    }

    /**
     * One entry per listing.
     *
     * @param listing the listing id paid routes name ({@code - Payment=<listing>, <category>})
     * @param provider the payout address channels must pay
     * @param operator the operator channels must name (the key the provider's gateways redeem with)
     * @param token the token channels must hold ({@code 0x0…0}: ether)
     * @param redeemWindowSeconds the T_r channels of this listing are created with
     * @param closeDelaySeconds the T_c channels of this listing are created with
     * @param prices the list price of each category, decimal wei
     * @param upstreamSecret what the gateway sends the upstream in {@code Tollgate-Upstream-Secret} on every request
     * @param routes method, path pattern under {@code /<listing>} and category of each paid route
     */
    record GatewayListing(
            String listing,
            String provider,
            String operator,
            String token,
            long redeemWindowSeconds,
            long closeDelaySeconds,
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
                        l.tokenAddress() == null ? ETHER : l.tokenAddress(),
                        chain.tolerance().toSeconds(),
                        chain.closeDelay().toSeconds(),
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
