package io.tollgate.gateway.ledger;

/**
 * The Redis keys of one channel's ledger; every one carries the hash tag {@code {0x…channel}}, so a channel's
 * keys live on one cluster slot and the Lua step may touch them together.
 */
public record LedgerKeys(String prefix, String channel) {

    public static LedgerKeys of(String prefix, String channel) {
        return new LedgerKeys(prefix, channel);
    }

    private String base() {
        return prefix + ":{" + channel + "}";
    }

    /** Hash with the highest accepted count of an {@code epoch:category} pair. */
    public String window(String epochCategory) {
        return base() + ":win:" + epochCategory;
    }

    /** Bitmap of the counts seen inside the anti-replay window of an {@code epoch:category} pair. */
    public String seen(String epochCategory) {
        return base() + ":seen:" + epochCategory;
    }

    /** Hash epoch → exposure (Σ best count × price over categories), fixed-width decimal wei. */
    public String exposure() {
        return base() + ":exposure";
    }

    /** Hash {@code epoch:category} → best voucher (encoded, with its signature). */
    public String best() {
        return base() + ":best";
    }

    /**
     * The lease of the replica redeeming the channel: not part of the ledger, but under the channel's hash tag
     * beside it.
     */
    public String redemptionLease() {
        return base() + ":redemption-lease";
    }

    /** A SCAN pattern matching the {@link #exposure()} key of every channel under {@code prefix}. */
    static String everyExposure(String prefix) {
        return prefix + ":{0x*}:exposure";
    }

    /** The channel a key of this layout belongs to: what its hash tag holds. */
    static String channelOf(String key) {
        return key.substring(key.indexOf('{') + 1, key.indexOf('}'));
    }
}
