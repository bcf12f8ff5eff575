package io.tollgate.gateway.payment.x402;

import io.tollgate.protocol.Address;
import io.tollgate.protocol.TokenAuthorizations;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Map;

/**
 * An x402 {@code exact} payment as a {@code PAYMENT-SIGNATURE} carries it ({@code @x402/evm}'s EIP-3009 payload):
 * {@code {x402Version: 2, accepted: {scheme: "exact", network, asset, amount, payTo, …}, payload: {authorization:
 * {from, to, value, validAfter, validBefore, nonce}, signature}}}, numbers as decimal strings, the nonce 32 bytes
 * and the signature 65 bytes ({@code r‖s‖v}) in 0x-hex.
 *
 * @param network the accepted entry's CAIP-2 network
 * @param asset the accepted entry's token, lower case
 * @param authorization the signed EIP-3009 authorization
 * @param signature its 65-byte signature
 * @param payload the whole decoded payload (what a facilitator is sent)
 */
record ExactPayment(
        String network,
        String asset,
        TokenAuthorizations.Authorization authorization,
        byte[] signature,
        Map<String, Object> payload) {

    ExactPayment {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    String payer() {
        return authorization.from().value();
    }

    String nonceHex() {
        return "0x" + HexFormat.of().formatHex(authorization.nonce());
    }

    /** The scheme the payload's {@code accepted} names; thrown as {@link IllegalArgumentException} when none. */
    static String scheme(Map<String, Object> payload) {
        if (!(payload.get("x402Version") instanceof Number version) || version.intValue() != X402.VERSION) {
            throw new IllegalArgumentException("x402Version is not " + X402.VERSION);
        }
        return text(accepted(payload), "scheme");
    }

    /** Reads an {@code exact} payload; thrown as {@link IllegalArgumentException} naming what is wrong. */
    static ExactPayment parse(Map<String, Object> payload) {
        var accepted = accepted(payload);
        if (!(payload.get("payload") instanceof Map<?, ?> inner)) {
            throw new IllegalArgumentException("payload is not an object");
        }
        if (!(inner.get("authorization") instanceof Map<?, ?> a)) {
            throw new IllegalArgumentException("payload.authorization is not an object");
        }
        var authorization = new TokenAuthorizations.Authorization(
                address(a, "from"),
                address(a, "to"),
                uint(a, "value"),
                uint(a, "validAfter"),
                uint(a, "validBefore"),
                hex(a, "nonce", 32));
        return new ExactPayment(
                text(accepted, "network"),
                address(accepted, "asset").value(),
                authorization,
                hex(inner, "signature", 65),
                payload);
    }

    private static Map<?, ?> accepted(Map<String, Object> payload) {
        if (!(payload.get("accepted") instanceof Map<?, ?> accepted)) {
            throw new IllegalArgumentException("accepted is not an object");
        }
        return accepted;
    }

    private static String text(Map<?, ?> map, String field) {
        if (!(map.get(field) instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return text;
    }

    private static Address address(Map<?, ?> map, String field) {
        String text = text(map, field);
        if (!Address.isAddress(text)) {
            throw new IllegalArgumentException(field + " is not an address");
        }
        return Address.of(text);
    }

    private static BigInteger uint(Map<?, ?> map, String field) {
        String text = text(map, field);
        if (!text.matches("[0-9]{1,78}")) {
            throw new IllegalArgumentException(field + " is not a decimal integer");
        }
        var value = new BigInteger(text);
        if (value.bitLength() > 256) {
            throw new IllegalArgumentException(field + " is not a uint256");
        }
        return value;
    }

    private static byte[] hex(Map<?, ?> map, String field, int length) {
        String text = text(map, field);
        if (!text.matches("0x[0-9a-fA-F]{" + (2 * length) + "}")) {
            throw new IllegalArgumentException(field + " is not " + length + " bytes of 0x-hex");
        }
        return HexFormat.of().parseHex(text.substring(2));
    }
}
