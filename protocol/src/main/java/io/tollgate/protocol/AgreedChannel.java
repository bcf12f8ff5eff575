package io.tollgate.protocol;

import java.util.List;

/**
 * The agreed terms of one channel as the marketplace sends them to gateways
 * ({@code GET /api/gateway/channels/{address}}; 404 {@code channel-not-subscribed} when it has none): a gateway
 * serves the channel only on this listing, and only while its on-chain terms are these.
 *
 * @param channel the channel contract
 * @param listing the listing it subscribes to
 * @param consumer the subscribing consumer (the channel's owner)
 * @param payout the provider's payout address
 * @param operator the provider's operator key
 * @param token the token it holds ({@code 0x0…0}: ether)
 * @param floors per category, the least any epoch of the channel may price it: the accepted offer's epoch-1
 *     prices, decimal units of the token
 * @param redeemWindowSeconds the agreed T_r
 * @param closeDelaySeconds the agreed T_c
 * @param state the subscription's state ({@code ACTIVE} is the only one served)
 */
public record AgreedChannel(
        String channel,
        String listing,
        String consumer,
        String payout,
        String operator,
        String token,
        List<String> floors,
        long redeemWindowSeconds,
        long closeDelaySeconds,
        String state) {

    /** The one state a gateway serves. */
    public static final String ACTIVE = "ACTIVE";
}
