package io.tollgate.gateway.payment;

import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.voucher.VoucherReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members a 402 (and a malformed or unsubscribed voucher) carries: what the route costs and where to pay.
 * Amounts are integers of the token's smallest unit (wei for ether), as decimal strings, each beside its
 * formatted form in whole units with the symbol; {@code token} is the token's address (as before) and {@code
 * asset} names it: {@code {"address": "0x…", "symbol": "USDT-demo", "decimals": 6}}.
 */
final class HowToPay {

    private HowToPay() {}

    static Map<String, Object> members(Listing listing, int category) {
        var members = new LinkedHashMap<String, Object>();
        members.put("listing", listing.id());
        members.put("category", category);
        members.put("provider", listing.provider());
        members.put("factory", listing.factory());
        members.put(
                "listPrices",
                listing.listPrices().stream().map(Object::toString).toList());
        members.put(
                "listPricesFormatted",
                listing.listPrices().stream().map(listing::describe).toList());
        if (category < listing.listPrices().size()) {
            var price = listing.listPrices().get(category);
            var priced = new LinkedHashMap<String, Object>();
            priced.put("baseUnits", price.toString());
            priced.put("formatted", listing.describe(price));
            members.put("price", priced);
        }
        members.put("listPriceTableHash", listing.listPriceTableHashHex());
        members.put("subscribe", String.valueOf(listing.subscribeUrl()));
        members.put("operator", listing.operator());
        members.put("token", listing.token());
        members.put("asset", asset(listing));
        if (listing.admission() instanceof Listing.Admission.Subscribed(var redeemWindow, var closeDelay)) {
            members.put("redeemWindowSeconds", redeemWindow.toSeconds());
            members.put("closeDelaySeconds", closeDelay.toSeconds());
        }
        members.put("voucherHeader", VoucherReader.HEADER);
        return members;
    }

    /** The listing's token: address, symbol and decimals. */
    static Map<String, Object> asset(Listing listing) {
        var asset = new LinkedHashMap<String, Object>();
        asset.put("address", listing.token());
        asset.put("symbol", listing.unit().symbol());
        asset.put("decimals", listing.unit().decimals());
        return asset;
    }
}
