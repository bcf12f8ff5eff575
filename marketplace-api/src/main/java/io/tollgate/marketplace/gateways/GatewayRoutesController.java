package io.tollgate.marketplace.gateways;

import io.tollgate.marketplace.catalogue.ListingRepository;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.GatewayListing;
import io.tollgate.settings.ChainProperties;
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
    private static final String ETHER = Address.ZERO.value();

    private final ListingRepository listings;
    private final ChainProperties chain;

    GatewayRoutesController(ListingRepository listings, ChainProperties chain) {
        this.listings = listings;
        this.chain = chain;
    }

    /** One entry per listing: the protocol's {@link GatewayListing}. */
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
                        l.unit().symbol(),
                        l.unit().decimals(),
                        chain.redemptionTolerance().toSeconds(),
                        chain.closeDelay().toSeconds(),
                        base + "/#/listings/" + l.slug(),
                        l.upstreamUrl(),
                        l.upstreamSecret(),
                        l.listPrices().decimals(),
                        null, // walk-in (x402 exact) prices: not in the listing editor yet
                        l.routes().stream()
                                .map(r -> new GatewayListing.Route(r.method(), r.pathPattern(), r.category()))
                                .toList()))
                .toList();
    }
}
