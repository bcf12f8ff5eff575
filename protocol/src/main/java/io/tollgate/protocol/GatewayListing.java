package io.tollgate.protocol;

import io.tollgate.pricing.TokenUnit;
import java.util.List;
import java.util.Optional;

/**
 * One listing as the marketplace sends it to gateways ({@code GET /api/gateway/routes}), which route and price
 * every listing from it: a new listing is routable without restarting them.
 *
 * @param listing the listing id paid routes name ({@code - Payment=<listing>, <category>})
 * @param provider the payout address channels must pay
 * @param operator the operator channels must name (the key the provider's gateways redeem with)
 * @param token the token channels must hold ({@code 0x0…0}: ether)
 * @param tokenSymbol what the listing's amounts are written with ({@code ETH}, {@code USDT-demo})
 * @param tokenDecimals the decimals of one whole unit of the token (18 for ether)
 * @param redeemWindowSeconds the T_r channels of this listing are created with
 * @param closeDelaySeconds the T_c channels of this listing are created with
 * @param subscribeUrl where a consumer subscribes to the listing
 * @param upstreamUrl the provider's API the gateway forwards to
 * @param upstreamSecret what the gateway sends the upstream in {@link Headers#UPSTREAM_SECRET} on every request
 * @param prices the list price of each category, in the token's smallest unit (wei for ether), decimal
 * @param walkInPrices the one-off (x402 {@code exact}) price of each category, in the token's smallest unit,
 *     decimal; null or empty: the listing takes no one-off payments (a category beyond the list, or priced 0, none)
 * @param routes method, path pattern under {@code /<listing>} and category of each paid route
 */
public record GatewayListing(
        String listing,
        String provider,
        String operator,
        String token,
        String tokenSymbol,
        Integer tokenDecimals,
        Long redeemWindowSeconds,
        Long closeDelaySeconds,
        String subscribeUrl,
        String upstreamUrl,
        String upstreamSecret,
        List<String> prices,
        List<String> walkInPrices,
        List<Route> routes) {

    /** A paid route: {@code method} ({@code *}: any), path pattern under {@code /<listing>}, category. */
    public record Route(String method, String path, int category) {}

    /** What keeps the listing from being sold (its channels could not be admitted); empty when complete. */
    public Optional<String> incomplete() {
        if (operator == null) {
            return Optional.of("operator");
        }
        if (token == null) {
            return Optional.of("token");
        }
        if (redeemWindowSeconds == null || closeDelaySeconds == null) {
            return Optional.of("redeemWindowSeconds/closeDelaySeconds");
        }
        return Optional.empty();
    }

    /**
     * What the listing's amounts count. A marketplace that does not send the symbol and decimals (an older one)
     * prices in ether when the token is {@code 0x0…0}, and in base units of an unnamed token otherwise.
     */
    public TokenUnit unit() {
        if (tokenSymbol != null && tokenDecimals != null) {
            return new TokenUnit(tokenSymbol, tokenDecimals);
        }
        return token == null || Address.ZERO.value().equalsIgnoreCase(token)
                ? TokenUnit.ETHER
                : new TokenUnit("units", 0);
    }

    /** Never the secret: listings may end up in a log line. */
    @Override
    public String toString() {
        return "GatewayListing[listing=" + listing + ", upstreamUrl=" + upstreamUrl + "]";
    }
}
