package io.tollgate.gateway.payment.x402;

import io.tollgate.protocol.Address;
import io.tollgate.protocol.Voucher;
import io.tollgate.protocol.VoucherHeader;
import java.util.HexFormat;
import java.util.Map;

/**
 * A {@code tollgate-channel} payment in {@code PAYMENT-SIGNATURE}: {@code {x402Version: 2, accepted: {scheme:
 * "tollgate-channel", network, …}, payload: {voucher: {channel, epoch, category, count, priceTableHash,
 * signature}}}}, the fields of a {@code Payment-Voucher} (numbers as JSON numbers or decimal strings, hashes and the
 * 65-byte signature in 0x-hex). It is checked exactly as that header.
 */
final class ChannelPayload {
    private ChannelPayload() {}

    /** The voucher's network and its {@code Payment-Voucher} header; {@link IllegalArgumentException} if malformed. */
    static Map.Entry<String, String> parse(Map<String, Object> payload) {
        if (!(payload.get("accepted") instanceof Map<?, ?> accepted)
                || !(accepted.get("network") instanceof String network)) {
            throw new IllegalArgumentException("accepted.network is not a string");
        }
        if (!(payload.get("payload") instanceof Map<?, ?> inner) || !(inner.get("voucher") instanceof Map<?, ?> v)) {
            throw new IllegalArgumentException("payload.voucher is not an object");
        }
        if (!(v.get("channel") instanceof String channel) || !Address.isAddress(channel)) {
            throw new IllegalArgumentException("voucher.channel is not an address");
        }
        var voucher = new Voucher(
                Address.of(channel),
                number(v, "epoch"),
                (int) number(v, "category"),
                number(v, "count"),
                hex(v, "priceTableHash", 32),
                hex(v, "signature", 65));
        return Map.entry(network, VoucherHeader.encode(voucher));
    }

    private static long number(Map<?, ?> map, String field) {
        Object value = map.get(field);
        String text = value instanceof Number n ? n.toString() : value instanceof String s ? s : "";
        if (!text.matches("[0-9]{1,16}") || Long.parseLong(text) > VoucherHeader.MAX_NUMBER) {
            throw new IllegalArgumentException("voucher." + field + " is not a whole number");
        }
        return Long.parseLong(text);
    }

    private static byte[] hex(Map<?, ?> map, String field, int length) {
        if (!(map.get(field) instanceof String text) || !text.matches("0x[0-9a-fA-F]{" + (2 * length) + "}")) {
            throw new IllegalArgumentException("voucher." + field + " is not " + length + " bytes of 0x-hex");
        }
        return HexFormat.of().parseHex(text.substring(2));
    }
}
