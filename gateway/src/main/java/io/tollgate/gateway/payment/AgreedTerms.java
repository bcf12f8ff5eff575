package io.tollgate.gateway.payment;

import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the marketplace verified on chain and agreed for one channel when it activated the subscription
 * ({@code GET /api/gateway/channels/{address}}): the channel is served only on this listing, and only while its
 * on-chain terms are these. Addresses lower case.
 *
 * @param channel the channel contract
 * @param listing the listing it subscribes to (the id routes name in {@code Payment=<listing>})
 * @param consumer the subscribing consumer (the channel's owner)
 * @param payout the provider's payout address
 * @param operator the provider's operator key
 * @param token the ERC-20 it holds ({@code 0x0…0}: ether)
 * @param floors per category, the least any epoch's price may be: the accepted offer's epoch-1 prices
 * @param redeemWindow the agreed T_r
 * @param closeDelay the agreed T_c
 */
public record AgreedTerms(
        String channel,
        String listing,
        String consumer,
        String payout,
        String operator,
        String token,
        List<Wei> floors,
        Duration redeemWindow,
        Duration closeDelay) {

    public AgreedTerms {
        channel = channel.toLowerCase(Locale.ROOT);
        consumer = consumer.toLowerCase(Locale.ROOT);
        payout = payout.toLowerCase(Locale.ROOT);
        operator = operator.toLowerCase(Locale.ROOT);
        token = token.toLowerCase(Locale.ROOT);
        floors = List.copyOf(floors);
    }

    /** The floor of {@code category}: zero when the agreement names none. */
    public Wei floor(int category) {
        return category < floors.size() ? floors.get(category) : Wei.ZERO;
    }
}
