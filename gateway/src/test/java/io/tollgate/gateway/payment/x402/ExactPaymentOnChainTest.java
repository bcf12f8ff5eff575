package io.tollgate.gateway.payment.x402;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * x402 {@code exact} on a real chain and two real gateway replicas sharing Redis: a 402 carries {@code
 * PAYMENT-REQUIRED} (the channel entry and the exact entry with the token's domain), each refusal is a
 * problem+json and an x402 {@code error}, and a paid call is served, settled by the operator key with the payer's
 * and the provider's balances moved by exactly the price, and answered with {@code PAYMENT-RESPONSE}.
 */
class ExactPaymentOnChainTest extends TwoReplicas {
    private void refusedWithoutMovingFunds(String header, String slug, String x402Error) {
        BigInteger payer = tollgate.balance(tollgate.payer().getAddress());
        BigInteger payout = tollgate.balance(tollgate.payout());
        refused(tollgate.get(0, header), slug, x402Error);
        assertThat(tollgate.balance(tollgate.payer().getAddress())).isEqualTo(payer);
        assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payout);
    }

    @SuppressWarnings("unchecked")
    private String withAccepted(String term, Object value) {
        var payload = tollgate.payload(tollgate.authorization(), tollgate.payer());
        ((Map<String, Object>) payload.get("accepted")).put(term, value);
        return X402Gateway.header(payload);
    }

    private String with(Consumer<Map<String, Object>> change) {
        var authorization = tollgate.authorization();
        change.accept(authorization);
        return X402Gateway.header(tollgate.payload(authorization, tollgate.payer()));
    }

    /** An {@code accepts} entry of {@code scheme} asks {@code amount} of the demo dollar on anvil, to the payout. */
    private static void assertPaysTheDemoDollarToThePayout(
            Map<String, Object> entry, String scheme, BigInteger amount) {
        assertThat(entry)
                .containsEntry("scheme", scheme)
                .containsEntry("network", "eip155:31337")
                .containsEntry("asset", tollgate.token)
                .containsEntry("payTo", tollgate.payout())
                .containsEntry("amount", amount.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void a402CarriesTheChannelAndTheExactTermsInPaymentRequired() {
        var response = tollgate.get(0, null);
        var required = paymentRequired(response);
        assertThat(required).containsEntry("x402Version", 2).doesNotContainKey("error");
        assertThat((Map<String, Object>) required.get("resource"))
                .containsEntry("url", tollgate.urls.get(0) + "/paid/weather/berlin");
        var accepts = (List<Map<String, Object>>) required.get("accepts");
        assertThat(accepts).hasSize(2);
        var channel = accepts.get(0);
        assertPaysTheDemoDollarToThePayout(channel, "tollgate-channel", X402Gateway.LIST_PRICE);
        assertThat((Map<String, Object>) channel.get("extra"))
                .containsEntry("listing", "weather")
                .containsEntry("category", 1)
                .containsEntry("prices", List.of("5000", X402Gateway.LIST_PRICE.toString()))
                .containsKeys("factory", "priceTableHash", "subscribeUrl", "operator");
        var exact = accepts.get(1);
        assertPaysTheDemoDollarToThePayout(exact, "exact", X402Gateway.WALK_IN_PRICE);
        assertThat(exact)
                .containsEntry("maxTimeoutSeconds", 60)
                .containsEntry("extra", Map.of("name", "Tollgate Demo USD", "version", "1"));
        assertThat(problem(response).get("type")).asString().endsWith("/payment-required");
    }

    @Test
    void aPaidCallIsServedAndSettledOnChainToTheUnit() throws Exception {
        BigInteger payer = tollgate.balance(tollgate.payer().getAddress());
        BigInteger payout = tollgate.balance(tollgate.payout());
        String header = X402Gateway.header(tollgate.payload(tollgate.authorization(), tollgate.payer()));

        var response = tollgate.get(0, header);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("berlin");
        var settled = X402Gateway.decode(
                response.headers().firstValue("PAYMENT-RESPONSE").orElseThrow());
        assertThat(settled)
                .containsEntry("success", true)
                .containsEntry("network", "eip155:31337")
                .containsEntry("payer", tollgate.payer().getAddress().toLowerCase(java.util.Locale.ROOT));
        tollgate.assertSettled(
                (String) settled.get("transaction"), tollgate.chain.account(4).getAddress());
        assertThat(tollgate.balance(tollgate.payer().getAddress()))
                .isEqualTo(payer.subtract(X402Gateway.WALK_IN_PRICE));
        assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payout.add(X402Gateway.WALK_IN_PRICE));

        // the same authorization again, on either replica: refused, nothing moves
        refusedWithoutMovingFunds(header, "authorization-replayed", "invalid_exact_evm_nonce_already_used");
        refused(tollgate.get(1, header), "authorization-replayed", "invalid_exact_evm_nonce_already_used");
    }

    @Test
    void twoReplicasGivenOneAuthorizationAtOnceServeItOnce() throws Exception {
        BigInteger payout = tollgate.balance(tollgate.payout());
        for (int round = 0; round < 3; round++) {
            String header = X402Gateway.header(tollgate.payload(tollgate.authorization(), tollgate.payer()));
            var first = tollgate.getAsync(0, header);
            var second = tollgate.getAsync(1, header);
            var statuses = List.of(first.get().statusCode(), second.get().statusCode());
            assertThat(statuses).containsExactlyInAnyOrder(200, 402);
            var loser = first.get().statusCode() == 402 ? first.get() : second.get();
            refused(loser, "authorization-replayed", "invalid_exact_evm_nonce_already_used");
        }
        assertThat(tollgate.balance(tollgate.payout()))
                .isEqualTo(payout.add(X402Gateway.WALK_IN_PRICE.multiply(BigInteger.valueOf(3))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMalformedPayloadIsRefused() {
        refusedWithoutMovingFunds("not base64 at all!", "payment-signature-malformed", "invalid_payload");
        refusedWithoutMovingFunds(
                X402Gateway.header(Map.of("x402Version", 2)), "payment-signature-malformed", "invalid_payload");
        var badValue = tollgate.payload(tollgate.authorization(), tollgate.payer());
        ((Map<String, Object>) ((Map<String, Object>) badValue.get("payload")).get("authorization"))
                .put("value", "a lot");
        refusedWithoutMovingFunds(X402Gateway.header(badValue), "payment-signature-malformed", "invalid_payload");
        var payload = tollgate.payload(tollgate.authorization(), tollgate.payer());
        payload.put("x402Version", 1);
        refusedWithoutMovingFunds(X402Gateway.header(payload), "payment-signature-malformed", "invalid_payload");
    }

    @Test
    void anUnknownSchemeIsRefused() {
        refusedWithoutMovingFunds(withAccepted("scheme", "upto"), "payment-scheme-unknown", "unsupported_scheme");
    }

    @Test
    void anotherNetworkOrAssetIsRefused() {
        refusedWithoutMovingFunds(
                withAccepted("network", "eip155:8453"), "payment-terms-mismatch", "invalid_exact_evm_network_mismatch");
        refusedWithoutMovingFunds(
                withAccepted("asset", "0x036cbd53842c5426634e7929541ec2318f3dcf7e"),
                "payment-terms-mismatch",
                "invalid_exact_evm_asset_mismatch");
    }

    @Test
    void anAuthorizationToAnotherPayeeIsRefused() {
        refusedWithoutMovingFunds(
                with(a -> a.put("to", tollgate.chain.account(8).getAddress())),
                "payment-wrong-payee",
                "invalid_exact_evm_recipient_mismatch");
    }

    @Test
    void aValueBelowThePriceIsRefused() {
        refusedWithoutMovingFunds(
                with(a -> a.put(
                        "value",
                        X402Gateway.WALK_IN_PRICE.subtract(BigInteger.ONE).toString())),
                "payment-below-price",
                "invalid_exact_evm_authorization_value");
    }

    @Test
    void anExpiredOrNotYetValidAuthorizationIsRefused() {
        refusedWithoutMovingFunds(
                with(a -> a.put("validBefore", Long.toString(tollgate.now() - 1))),
                "authorization-expired",
                "invalid_exact_evm_payload_authorization_valid_before");
        refusedWithoutMovingFunds(
                with(a -> a.put("validBefore", Long.toString(tollgate.now() + 2))), // no time left to settle
                "authorization-expired",
                "invalid_exact_evm_payload_authorization_valid_before");
        refusedWithoutMovingFunds(
                with(a -> a.put("validAfter", Long.toString(tollgate.now() + 3600))),
                "authorization-not-yet-valid",
                "invalid_exact_evm_payload_authorization_valid_after");
    }

    @Test
    void aSignatureOfAnotherKeyIsRefused() {
        var authorization = tollgate.authorization();
        refusedWithoutMovingFunds(
                X402Gateway.header(tollgate.payload(authorization, tollgate.chain.account(9))),
                "authorization-signature-invalid",
                "invalid_exact_evm_signature");
        // and the refused authorization is not spent: signed properly, it pays
        var fine = new LinkedHashMap<>(authorization);
        assertThat(tollgate.get(0, X402Gateway.header(tollgate.payload(fine, tollgate.payer())))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aChannelPayloadPaysThroughTheVoucherStepsAndIsNotTakenTwice() {
        String channel = tollgate.channel(BigInteger.valueOf(1_000_000));
        String header = X402Gateway.header(tollgate.channelPayload(channel, 1));

        var response = tollgate.get(0, header);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Payment-Accepted-Count")).contains("1");
        var settled = X402Gateway.decode(
                response.headers().firstValue("PAYMENT-RESPONSE").orElseThrow());
        assertThat(settled)
                .containsEntry("success", true)
                .containsEntry("payer", channel)
                .containsEntry("amount", X402Gateway.LIST_PRICE.toString());
        var replayed = tollgate.get(1, header);
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(problem(replayed).get("type")).asString().endsWith("/voucher-replayed");
        assertThat(X402Gateway.decode(
                        replayed.headers().firstValue("PAYMENT-REQUIRED").orElseThrow()))
                .containsEntry("error", "voucher-replayed");
        assertThat(tollgate.get(1, X402Gateway.header(tollgate.channelPayload(channel, 2)))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aChannelPayloadForAChannelNotAdmittedIsRefused() {
        var response = tollgate.get(
                0,
                X402Gateway.header(tollgate.channelPayload(
                        tollgate.chain.account(9).getAddress().toLowerCase(java.util.Locale.ROOT), 1)));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(problem(response).get("type")).asString().endsWith("/channel-unknown");
        assertThat(X402Gateway.decode(
                        response.headers().firstValue("PAYMENT-REQUIRED").orElseThrow()))
                .containsEntry("x402Version", 2)
                .containsEntry("error", "channel-unknown");
    }
}
