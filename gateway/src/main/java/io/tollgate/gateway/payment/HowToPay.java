package io.tollgate.gateway.payment;

import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.voucher.VoucherReader;
import java.util.LinkedHashMap;
import java.util.Map;

/** The members a 402 (and a malformed or unsubscribed voucher) carries: what the route costs and where to pay. */
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
        members.put("listPriceTableHash", listing.listPriceTableHashHex());
        members.put("subscribe", String.valueOf(listing.subscribeUrl()));
        members.put("operator", listing.operator());
        members.put("token", listing.token());
        if (listing.admission() instanceof Listing.Admission.Subscribed(var redeemWindow, var closeDelay)) {
            members.put("redeemWindowSeconds", redeemWindow.toSeconds());
            members.put("closeDelaySeconds", closeDelay.toSeconds());
        }
        members.put("voucherHeader", VoucherReader.HEADER);
        return members;
    }
}
