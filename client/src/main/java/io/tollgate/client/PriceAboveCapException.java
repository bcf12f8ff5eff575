package io.tollgate.client;

import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;

/** The channel's price for a category is above what the consumer allowed; nothing was signed. */
public final class PriceAboveCapException extends TollgateClientException {
    private final int category;
    private final Wei price;
    private final Wei cap;

    PriceAboveCapException(int category, Wei price, Wei cap, TokenUnit unit) {
        super("price of category " + category + " is " + amount(price, unit) + ", above the cap of " + amount(cap, unit)
                + ": raise the cap or negotiate a lower price");
        this.category = category;
        this.price = price;
        this.cap = cap;
    }

    /** Wei as before for ether; whole units and symbol for a token ({@code 0.002 USDT-demo}). */
    private static String amount(Wei amount, TokenUnit unit) {
        return unit.equals(TokenUnit.ETHER) ? amount + " wei" : unit.describe(amount.value());
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
