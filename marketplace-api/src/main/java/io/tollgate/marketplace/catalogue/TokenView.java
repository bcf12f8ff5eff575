package io.tollgate.marketplace.catalogue;

import io.tollgate.pricing.TokenUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a listing's amounts count, as the API shows it beside them: the ERC-20's lower-case address, its symbol and
 * decimals as its contract reported them when the listing was saved; for ether the zero address, {@code ETH} and
 * 18. The web UI formats amounts with it ({@code amount(units, token)} of format.js).
 */
public record TokenView(String address, String symbol, int decimals) {
    /** The address a listing in ether names. */
    public static final String ETHER_ADDRESS = "0x0000000000000000000000000000000000000000";

    public static final TokenView ETHER = new TokenView(ETHER_ADDRESS, TokenUnit.ETHER.symbol(), 18);

    /** The token of a listing row: ether when it has no token address. */
    public static TokenView of(@Nullable String address, @Nullable String symbol, @Nullable Integer decimals) {
        return address == null || symbol == null || decimals == null
                ? ETHER
                : new TokenView(address.toLowerCase(Locale.ROOT), symbol, decimals);
    }

    public TokenUnit unit() {
        return new TokenUnit(symbol, decimals);
    }

    /** Whether this is ether rather than an ERC-20. */
    public boolean isEther() {
        return ETHER_ADDRESS.equals(address);
    }
}
