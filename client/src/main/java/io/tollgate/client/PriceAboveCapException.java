package io.tollgate.client;

import io.tollgate.pricing.Wei;

/** The channel's price for a category is above what the consumer allowed; nothing was signed. */
public final class PriceAboveCapException extends TollgateClientException {
    private final int category;
    private final Wei price;
    private final Wei cap;

    PriceAboveCapException(int category, Wei price, Wei cap) {
        super("price of category " + category + " is " + price + " wei, above the cap of " + cap
                + " wei: raise the cap or negotiate a lower price");
        this.category = category;
        this.price = price;
        this.cap = cap;
    }

    public int category() {
        return category;
    }

    public Wei price() {
        return price;
    }

    public Wei cap() {
        return cap;
    }
}
