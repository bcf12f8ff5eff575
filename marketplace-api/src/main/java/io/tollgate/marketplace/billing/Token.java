package io.tollgate.marketplace.billing;

import io.tollgate.pricing.TokenUnit;
import java.math.BigInteger;

/**
 * What a billing figure counts, as statements, budgets and alerts name it: the token's address (the zero address for
 * ether), its symbol and its decimals. Figures of different tokens are never added up.
 *
 * @param address the ERC-20's address in lower case, or {@link #ETHER_ADDRESS} for ether
 * @param symbol the symbol its listings show ("ETH", "USDT-demo")
 * @param decimals the decimal places of one whole unit (18 for ether)
 */
public record Token(String address, String symbol, int decimals) {
    /** Ether's place where a token address is expected (as in the factory's ChannelCreated event). */
    public static final String ETHER_ADDRESS = "0x0000000000000000000000000000000000000000";

    public static final Token ETHER = new Token(ETHER_ADDRESS, TokenUnit.ETHER.symbol(), TokenUnit.ETHER.decimals());

    public TokenUnit unit() {
        return new TokenUnit(symbol, decimals);
    }

    /** {@code units} of this token's smallest unit as a billing amount. */
    public Amount amount(BigInteger units) {
        TokenUnit unit = unit();
        return new Amount(units.toString(), unit.format(units), unit.describe(units));
    }

    /**
     * An amount of one token, exactly.
     *
     * @param units integer of the token's smallest unit (wei for ether), decimal, no exponent: "3000"
     * @param amount the same in whole units, exact, without trailing zeros: "0.003"
     * @param display {@code amount} followed by the symbol: "0.003 USDT-demo"
     */
    public record Amount(String units, String amount, String display) {
        public BigInteger value() {
            return new BigInteger(units);
        }
    }
}
