package io.tollgate.gateway.voucher;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code Payment-Voucher} header, version 1: unpadded base64url of
 * {@code 0x01 ‖ channel (20) ‖ epoch (8, big-endian) ‖ category (1) ‖ count (8) ‖ priceTableHash (32) ‖
 * signature r‖s‖v (65)} = 135 bytes, 180 characters.
 */
public final class VoucherHeaderCodec {

    public static final byte VERSION = 0x01;
    public static final int LENGTH = 1 + 20 + 8 + 1 + 8 + 32 + 65;
    /** The largest epoch and count a voucher may carry: 2^53-1 (the ledger's Lua numbers are doubles). */
    public static final long MAX_NUMBER = (1L << 53) - 1;

    private VoucherHeaderCodec() {}

    /**
     * Thrown for a header that is not a version-1 voucher. Without a stack trace: it is an answer to a client,
     * not a bug, and a flood of malformed headers must stay cheap.
     */
    public static final class MalformedVoucherException extends IllegalArgumentException {
        MalformedVoucherException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    public static PaidVoucher decode(String header) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(header.strip());
        } catch (IllegalArgumentException e) {
            throw new MalformedVoucherException("not base64url");
        }
        if (bytes.length != LENGTH) {
            throw new MalformedVoucherException("expected " + LENGTH + " bytes, got " + bytes.length);
        }
        var buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != VERSION) {
            throw new MalformedVoucherException("unknown voucher version " + bytes[0]);
        }
        byte[] channel = new byte[20];
        buffer.get(channel);
        long epoch = buffer.getLong();
        int category = Byte.toUnsignedInt(buffer.get());
        long count = buffer.getLong();
        byte[] priceTableHash = new byte[32];
        buffer.get(priceTableHash);
        byte[] signature = new byte[65];
        buffer.get(signature);
        // the ledger computes in doubles (Redis Lua): exact to 2^53, far beyond any channel's life
        if (epoch < 1 || epoch > MAX_NUMBER) {
            throw new MalformedVoucherException("epoch must be 1..2^53-1");
        }
        if (count < 1 || count > MAX_NUMBER) {
            throw new MalformedVoucherException("count must be 1..2^53-1");
        }
        if (category > 15) {
            throw new MalformedVoucherException("category must be 0..15");
        }
        return new PaidVoucher(
                "0x" + HexFormat.of().formatHex(channel),
                epoch,
                category,
                count,
                priceTableHash,
                signature,
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public static String encode(
            String channel, long epoch, int category, long count, byte[] priceTableHash, byte[] signature) {
        byte[] address = HexFormat.of().parseHex(channel.substring(2));
        if (address.length != 20 || priceTableHash.length != 32 || signature.length != 65) {
            throw new IllegalArgumentException("channel 20, price-table hash 32 and signature 65 bytes");
        }
        var buffer = ByteBuffer.allocate(LENGTH)
                .put(VERSION)
                .put(address)
                .putLong(epoch)
                .put((byte) category)
                .putLong(count)
                .put(priceTableHash)
                .put(signature);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }
}
