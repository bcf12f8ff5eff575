package io.tollgate.gateway.voucher;

import java.util.HexFormat;

/**
 * A voucher as it arrived in a {@code Payment-Voucher} header: the EIP-712 {@code Voucher} fields, the
 * channel it is for, the 65-byte signature r‖s‖v, and the header value itself (what the ledger stores).
 *
 * @param channel the channel contract, {@code 0x} + 40 lower-case hex digits
 */
public record PaidVoucher(
        String channel, long epoch, int category, long count, byte[] priceTableHash, byte[] signature, String encoded) {

    /** The price-table hash as {@code 0x}-hex. */
    public String priceTableHashHex() {
        return "0x" + HexFormat.of().formatHex(priceTableHash);
    }

    @Override
    public String toString() {
        // Never the signature (logs must not carry it).
        return "PaidVoucher[channel=" + channel + ", epoch=" + epoch + ", category=" + category + ", count=" + count
                + "]";
    }
}
