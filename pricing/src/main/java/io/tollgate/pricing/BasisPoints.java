package io.tollgate.pricing;

import java.math.BigInteger;

/** A share in basis points, 0..10 000 (100 %). Shares are never floating point. */
public record BasisPoints(int value) implements Comparable<BasisPoints> {
    public static final BasisPoints ZERO = new BasisPoints(0);
    public static final int WHOLE = 10_000;

    public BasisPoints {
        if (value < 0 || value > WHOLE) {
            throw new IllegalArgumentException("basis points must be 0..10000: " + value);
        }
    }

    /** amount × (10 000 − this) / 10 000, rounded up so that a discount never costs the provider a wei extra. */
    public Wei discount(Wei amount) {
        BigInteger[] quotient = amount.value()
                .multiply(BigInteger.valueOf(WHOLE - value))
                .divideAndRemainder(BigInteger.valueOf(WHOLE));
        return new Wei(quotient[1].signum() == 0 ? quotient[0] : quotient[0].add(BigInteger.ONE));
    }

    /** amount × this / 10 000, rounded down. */
    public Wei shareOf(Wei amount) {
        return new Wei(amount.value().multiply(BigInteger.valueOf(value)).divide(BigInteger.valueOf(WHOLE)));
    }

    @Override
    public int compareTo(BasisPoints other) {
        return Integer.compare(value, other.value);
    }
}
