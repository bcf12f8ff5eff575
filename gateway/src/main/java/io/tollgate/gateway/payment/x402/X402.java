package io.tollgate.gateway.payment.x402;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * x402 version 2 on the wire: its three headers, each base64 of a JSON object (the official {@code @x402/core}'s
 * {@code encodePaymentRequiredHeader}, {@code decodePaymentSignatureHeader}, {@code encodePaymentResponseHeader}:
 * standard base64 with padding over the UTF-8 JSON), its scheme names and CAIP-2 networks.
 */
public final class X402 {
    public static final int VERSION = 2;
    /** A 402's terms: {@code PaymentRequired}. */
    public static final String PAYMENT_REQUIRED = "PAYMENT-REQUIRED";
    /** A request's payment: {@code PaymentPayload}. */
    public static final String PAYMENT_SIGNATURE = "PAYMENT-SIGNATURE";
    /** An accepted answer's settlement: {@code SettleResponse}. */
    public static final String PAYMENT_RESPONSE = "PAYMENT-RESPONSE";

    /** One EIP-3009 authorization per call. */
    public static final String EXACT = "exact";
    /** Tollgate's channel: a voucher per call against a deposit. */
    public static final String TOLLGATE_CHANNEL = "tollgate-channel";

    /** The problem+json member carrying the x402 error code a refusal's {@code PAYMENT-REQUIRED} repeats. */
    public static final String ERROR_MEMBER = "x402Error";

    private X402() {}

    /** The CAIP-2 id of an EVM chain. */
    public static String network(long chainId) {
        return "eip155:" + chainId;
    }

    public static String encode(ObjectMapper json, Object value) {
        return Base64.getEncoder().encodeToString(json.writeValueAsBytes(value));
    }

    /** The JSON object a header carries; thrown as {@link IllegalArgumentException} when it is not one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> decode(ObjectMapper json, String header) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(header.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64");
        }
        try {
            Object value = json.readValue(new String(bytes, StandardCharsets.UTF_8), Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new IllegalArgumentException("not a JSON object");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON");
        }
    }
}
