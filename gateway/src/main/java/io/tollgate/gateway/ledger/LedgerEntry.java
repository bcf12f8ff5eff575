package io.tollgate.gateway.ledger;

import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import java.util.Locale;
import java.util.Objects;

/**
 * One voucher as the ledger sees it, with the chain facts it is checked against.
 *
 * @param channel the channel contract, {@code 0x} and 40 hex digits (any case; kept lower-case)
 * @param epoch the voucher's epoch
 * @param category the voucher's price category (0..15)
 * @param count the voucher's cumulative count, 1..2^53−1 (Lua numbers are exact only that far)
 * @param price the price of one request of {@code category} in {@code epoch}
 * @param creditLimit what the exposure (Σ best count × price over the epochs from {@code oldestUnredeemedEpoch}
 *     on) may reach, from the same chain snapshot as {@code oldestUnredeemedEpoch}: the unredeemed deposit on
 *     release 1, {@code credit().total} on release 2 ({@link io.tollgate.gateway.chain.ChannelState#creditLimit})
 * @param oldestUnredeemedEpoch epochs below it are redeemed: their exposure no longer counts, their vouchers
 *     are refused
 * @param encodedVoucher the voucher with its signature as received; stored when it is the best one
 */
public record LedgerEntry(
        String channel,
        long epoch,
        int category,
        long count,
        Wei price,
        Wei creditLimit,
        long oldestUnredeemedEpoch,
        String encodedVoucher) {

    /** The largest count the ledger takes: Lua numbers are doubles. */
    public static final long MAX_COUNT = (1L << 53) - 1;

    public LedgerEntry {
        Objects.requireNonNull(channel, "channel");
        if (!Address.isAddress(channel)) {
            throw new IllegalArgumentException("not a channel address: " + channel);
        }
        channel = channel.toLowerCase(Locale.ROOT);
        if (epoch < 1 || epoch > MAX_COUNT) {
            throw new IllegalArgumentException("epoch out of range: " + epoch);
        }
        if (category < 0 || category > 15) {
            throw new IllegalArgumentException("category out of range: " + category);
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count out of range: " + count);
        }
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(creditLimit, "creditLimit");
        if (oldestUnredeemedEpoch < 0) {
            throw new IllegalArgumentException("oldest unredeemed epoch out of range: " + oldestUnredeemedEpoch);
        }
        if (encodedVoucher == null || encodedVoucher.isEmpty() || encodedVoucher.indexOf('|') >= 0) {
            throw new IllegalArgumentException("encoded voucher missing or not in header form");
        }
    }
}
