package io.tollgate.gateway.payment;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A provider's listing as the gateway needs it to ask for payment.
 *
 * @param id the listing id routes name in {@code - Payment=<listing>}
 * @param provider the provider's payout address channels must pay
 * @param factory the Intermediary factory channels must come from
 * @param subscribeUrl where a consumer subscribes (opens a channel)
 * @param listPrices the listed price per category (what the 402 body shows)
 * @param minimumPrices per category, the least a channel's price table may ask (empty: no floor)
 * @param operator the operator key the provider's gateways redeem with, lower-case; channels must name it (empty:
 *     not checked)
 */
public record Listing(
        String id,
        String provider,
        String factory,
        URI subscribeUrl,
        List<Wei> listPrices,
        List<Wei> minimumPrices,
        Optional<String> operator) {

    public Listing {
        listPrices = List.copyOf(listPrices);
        minimumPrices = List.copyOf(minimumPrices);
        operator = operator.map(o -> o.toLowerCase(java.util.Locale.ROOT));
    }

    /** A listing whose channels' operator is not checked. */
    public Listing(
            String id,
            String provider,
            String factory,
            URI subscribeUrl,
            List<Wei> listPrices,
            List<Wei> minimumPrices) {
        this(id, provider, factory, subscribeUrl, listPrices, minimumPrices, Optional.empty());
    }

    public String listPriceTableHashHex() {
        return new PriceTable(listPrices).hashHex();
    }

    public Wei minimumPrice(int category) {
        return category < minimumPrices.size() ? minimumPrices.get(category) : Wei.ZERO;
    }
}
