package io.tollgate.pricing;

import java.math.BigInteger;

/** An amount of wei (or token base units): an unsigned 256-bit integer, never negative. */
public record Wei(BigInteger value) implements Comparable<Wei> {
    public static final Wei ZERO = new Wei(BigInteger.ZERO);

    public Wei {
        if (value == null || value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256 amount: " + value);
        }
    }

    public static Wei of(long value) {
        return new Wei(BigInteger.valueOf(value));
    }

    /** Parses a decimal string, the only form amounts take in JSON. */
    public static Wei parse(String decimal) {
        try {
            return new Wei(new BigInteger(decimal));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a decimal amount: " + decimal, e);
        }
    }

    public Wei plus(Wei other) {
        return new Wei(value.add(other.value));
    }

    /** Subtracts; going below zero is a bug, so it throws. Expected shortfalls compare first. */
    public Wei minus(Wei other) {
        return new Wei(value.subtract(other.value));
    }

    public Wei times(long factor) {
        return new Wei(value.multiply(BigInteger.valueOf(factor)));
    }

    public Wei min(Wei other) {
        return compareTo(other) <= 0 ? this : other;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    @Override
    public int compareTo(Wei other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
