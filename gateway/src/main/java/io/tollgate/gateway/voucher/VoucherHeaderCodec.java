package io.tollgate.gateway.voucher;

import io.tollgate.protocol.Address;
import io.tollgate.protocol.Voucher;
import io.tollgate.protocol.VoucherHeader;

/**
 * The {@code Payment-Voucher} header as the gateway reads it: the protocol's one codec ({@link VoucherHeader},
 * version 1, 135 bytes, 180 characters), giving a {@link PaidVoucher} that keeps the header's canonical form (what
 * the ledger stores). A malformed header throws {@link VoucherHeader.MalformedVoucherException}, whose message
 * is the reason the gateway answers with.
 */
public final class VoucherHeaderCodec {

    public static final byte VERSION = VoucherHeader.VERSION;
    public static final int LENGTH = VoucherHeader.LENGTH;
    /** The largest epoch and count a voucher may carry: 2^53-1 (the ledger's Lua numbers are doubles). */
    public static final long MAX_NUMBER = VoucherHeader.MAX_NUMBER;

    private VoucherHeaderCodec() {}

    /** @throws VoucherHeader.MalformedVoucherException for anything but a valid version-1 voucher */
    public static PaidVoucher decode(String header) {
        Voucher voucher = VoucherHeader.decode(header);
        return new PaidVoucher(voucher, VoucherHeader.encode(voucher));
    }

    public static String encode(
            String channel, long epoch, int category, long count, byte[] priceTableHash, byte[] signature) {
        return VoucherHeader.encode(Address.of(channel), epoch, category, count, priceTableHash, signature);
    }
}
