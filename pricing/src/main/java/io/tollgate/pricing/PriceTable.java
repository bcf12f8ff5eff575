package io.tollgate.pricing;

import java.util.HexFormat;
import java.util.List;

/**
 * The price per request of each category {@code 0..k-1} (1 ≤ k ≤ 16) for one epoch of a channel.
 * Its {@link #hash()} is what vouchers sign and what the contract computes:
 * {@code keccak256(abi.encodePacked(uint256[] prices))}.
 */
public record PriceTable(List<Wei> prices) {
    public static final int MAX_CATEGORIES = 16;

    public PriceTable {
        if (prices == null || prices.isEmpty() || prices.size() > MAX_CATEGORIES) {
            throw new IllegalArgumentException("a price table has 1 to " + MAX_CATEGORIES + " categories, not "
                    + (prices == null ? 0 : prices.size()));
        }
        prices = List.copyOf(prices);
    }

    public static PriceTable of(long... prices) {
        return new PriceTable(java.util.Arrays.stream(prices).mapToObj(Wei::of).toList());
    }

    /** Parses decimal strings, the form prices take in JSON. */
    public static PriceTable parse(List<String> decimals) {
        return new PriceTable(decimals.stream().map(Wei::parse).toList());
    }

    public int categories() {
        return prices.size();
    }

    public boolean has(int category) {
        return category >= 0 && category < prices.size();
    }

    public Wei price(int category) {
        if (!has(category)) {
            throw new IllegalArgumentException(
                    "category " + category + " is not in this price table (0.." + (prices.size() - 1) + ")");
        }
        return prices.get(category);
    }

    /** What {@code count} requests of {@code category} cost: count × price. */
    public Wei cost(int category, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        return price(category).times(count);
    }

    /** Σ counts[c] × price(c): the value of the best vouchers of one epoch. */
    public Wei exposure(long[] counts) {
        if (counts.length > prices.size()) {
            throw new IllegalArgumentException(
                    "counts for " + counts.length + " categories, table has " + prices.size());
        }
        Wei total = Wei.ZERO;
        for (int category = 0; category < counts.length; category++) {
            total = total.plus(cost(category, counts[category]));
        }
        return total;
    }

    /** Whether every price of this table is at least the other's (same categories). */
    public boolean atLeast(PriceTable other) {
        if (other.categories() != categories()) {
            return false;
        }
        for (int category = 0; category < prices.size(); category++) {
            if (prices.get(category).compareTo(other.prices.get(category)) < 0) {
                return false;
            }
        }
        return true;
    }

    public byte[] hash() {
        byte[] packed = new byte[32 * prices.size()];
        for (int i = 0; i < prices.size(); i++) {
            byte[] raw = prices.get(i).value().toByteArray();
            int length = raw.length > 32 ? 32 : raw.length; // a uint256 has at most one sign byte more
            System.arraycopy(raw, raw.length - length, packed, 32 * (i + 1) - length, length);
        }
        return Keccak256.hash(packed);
    }

    public String hashHex() {
        return "0x" + HexFormat.of().formatHex(hash());
    }

    /** The prices as decimal strings, for JSON. */
    public List<String> decimals() {
        return prices.stream().map(Wei::toString).toList();
    }
}
