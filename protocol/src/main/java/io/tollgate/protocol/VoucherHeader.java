package io.tollgate.protocol;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The {@code Payment-Voucher} header ({@link Headers#VOUCHER}), version 1: unpadded base64url of
 * {@code 0x01 ‖ channel (20) ‖ epoch (8, big-endian) ‖ category (1) ‖ count (8) ‖ priceTableHash (32) ‖
 * signature r‖s‖v (65)} = 135 bytes, 180 characters. The one codec: the client encodes with it, the gateway
 * decodes with it and answers a refusal with its {@link MalformedVoucherException#getMessage() reason}.
 */
public final class VoucherHeader {
    public static final byte VERSION = 0x01;
    public static final int LENGTH = 1 + 20 + 8 + 1 + 8 + 32 + 65;
    /** The largest epoch and count a voucher may carry: 2^53-1 (the gateway's ledger computes in Lua doubles). */
    public static final long MAX_NUMBER = (1L << 53) - 1;
    /** The largest category: a channel prices at most 16. */
    public static final int MAX_CATEGORY = 15;

    private VoucherHeader() {}

    /**
     * Thrown for a header that is not a version-1 voucher; the message is the reason the gateway gives. Without a
     * stack trace: it is an answer to a client, not a bug, and a flood of malformed headers must stay cheap.
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

    /** The header value of {@code voucher}. */
    public static String encode(Voucher voucher) {
        return encode(
                voucher.channel(),
                voucher.epoch(),
                voucher.category(),
                voucher.count(),
                voucher.priceTableHash(),
                voucher.signature());
    }

    /** The header value of these fields, as they are (no range check: a test may encode what decode refuses). */
    public static String encode(
            Address channel, long epoch, int category, long count, byte[] priceTableHash, byte[] signature) {
        if (priceTableHash.length != 32 || signature.length != Signatures.LENGTH) {
            throw new IllegalArgumentException("channel 20, price-table hash 32 and signature 65 bytes");
        }
        var buffer = ByteBuffer.allocate(LENGTH)
                .put(VERSION)
                .put(channel.bytes())
                .putLong(epoch)
                .put((byte) category)
                .putLong(count)
                .put(priceTableHash)
                .put(signature);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /**
     * The voucher in {@code header} (surrounding white space ignored).
     *
     * @throws MalformedVoucherException not base64url, not 135 bytes, another version, an epoch or count outside
     *     1..2^53-1, or a category above 15
     */
    public static Voucher decode(String header) {
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
        byte[] signature = new byte[Signatures.LENGTH];
        buffer.get(signature);
        // the ledger computes in doubles (Redis Lua): exact to 2^53, far beyond any channel's life
        if (epoch < 1 || epoch > MAX_NUMBER) {
            throw new MalformedVoucherException("epoch must be 1..2^53-1");
        }
        if (count < 1 || count > MAX_NUMBER) {
            throw new MalformedVoucherException("count must be 1..2^53-1");
        }
        if (category > MAX_CATEGORY) {
            throw new MalformedVoucherException("category must be 0..15");
        }
        return new Voucher(Address.of(channel), epoch, category, count, priceTableHash, signature);
    }
}
