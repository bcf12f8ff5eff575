package io.tollgate.pricing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a listing's amounts count: ether, or one ERC-20 with the symbol and decimals its contract reports. Amounts
 * are stored and signed as integers of the smallest unit (wei, or the token's base unit); people read and type them
 * in whole units ("0.001 USDT-demo"), converted here exactly, never through floating point.
 *
 * @param symbol what the amount is written with ("ETH", "USDT-demo")
 * @param decimals how many decimal places one whole unit has (18 for ether, 6 for USD tokens)
 */
public record TokenUnit(String symbol, int decimals) {
    /** Ether: 18 decimals. */
    public static final TokenUnit ETHER = new TokenUnit("ETH", 18);

    /** The most decimals accepted: 77 would already make one whole unit overflow uint256. */
    public static final int MAX_DECIMALS = 36;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?|\\.[0-9]+");

    public TokenUnit {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isBlank() || symbol.length() > 32) {
            throw new IllegalArgumentException("a token symbol has 1 to 32 characters: '" + symbol + "'");
        }
        if (decimals < 0 || decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException(
                    "a token has 0 to " + MAX_DECIMALS + " decimals, not " + decimals + " (" + symbol + ")");
        }
    }

    /**
     * The amount in whole units, exact and without trailing zeros: {@code 1000} base units of a 6-decimal token
     * are {@code "0.001"}.
     */
    public String format(BigInteger baseUnits) {
        return new BigDecimal(baseUnits, decimals).stripTrailingZeros().toPlainString();
    }

    /** {@link #format} followed by the symbol: {@code "0.001 USDT-demo"}. */
    public String describe(BigInteger baseUnits) {
        return format(baseUnits) + " " + symbol;
    }

    /**
     * Parses an amount typed in whole units ({@code "0.001"}) to base units. Refuses what cannot be paid exactly: a
     * sign, an exponent, more fraction digits than the token has, more than a uint256.
     *
     * @throws IllegalArgumentException with a sentence a person can act on
     */
    public Wei parse(String wholeUnits) {
        String text = wholeUnits == null ? "" : wholeUnits.strip();
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + wholeUnits + "' is not an amount of " + symbol
                    + ": write digits with at most one decimal point, such as 0.001");
        }
        BigDecimal amount = new BigDecimal(text);
        if (amount.stripTrailingZeros().scale() > decimals) {
            throw new IllegalArgumentException("'" + wholeUnits + "' has more than " + decimals
                    + " decimal places, the smallest unit of " + symbol);
        }
        BigInteger units = amount.movePointRight(decimals).toBigIntegerExact();
        if (units.bitLength() > 256) {
            throw new IllegalArgumentException("'" + wholeUnits + "' " + symbol + " is more than a uint256 holds");
        }
        return new Wei(units);
    }
}
