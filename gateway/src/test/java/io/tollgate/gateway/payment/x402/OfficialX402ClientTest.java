package io.tollgate.gateway.payment.x402;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official x402 v2 client, unmodified ({@code @x402/fetch} with {@code @x402/evm}'s exact scheme and viem,
 * pinned in {@code src/test/x402-client/package-lock.json}), pays a Tollgate route on anvil in the demo dollar:
 * it reads the 402's {@code PAYMENT-REQUIRED}, signs an EIP-3009 authorization, is served, and gets a {@code
 * PAYMENT-RESPONSE} naming the mined settlement; the balances move by exactly the walk-in price.
 */
class OfficialX402ClientTest {
    static X402Gateway tollgate;

    @BeforeAll
    static void start() throws Exception {
        NodeScripts.install();
        tollgate = X402Gateway.start(1);
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOfficialClientPaysARouteWithExactAndTheSettlementIsOnChain() throws Exception {
        String payer = tollgate.payer().getAddress();
        BigInteger payerBefore = tollgate.balance(payer);
        BigInteger payoutBefore = tollgate.balance(tollgate.payout());
        String key = "0x" + tollgate.payer().getEcKeyPair().getPrivateKey().toString(16);

        String printed = NodeScripts.run(
                List.of("node", "pay.mjs", tollgate.urls.getFirst() + "/paid/weather/berlin", key, tollgate.token),
                120);
        Map<String, Object> result = X402Gateway.JSON.readValue(printed.strip(), Map.class);

        assertThat(result).containsEntry("status", 200);
        assertThat((String) result.get("body")).contains("berlin");
        var required = (Map<String, Object>) result.get("paymentRequired");
        var signature = (Map<String, Object>) result.get("paymentSignature");
        assertThat(signature).containsEntry("x402Version", 2);
        assertThat((Map<String, Object>) signature.get("accepted")).containsEntry("scheme", "exact");
        assertThat(required).containsEntry("x402Version", 2);
        var settled = (Map<String, Object>) result.get("paymentResponse");
        assertThat(settled)
                .containsEntry("success", true)
                .containsEntry("network", "eip155:31337")
                .containsEntry("payer", payer.toLowerCase(Locale.ROOT))
                .containsEntry("amount", X402Gateway.WALK_IN_PRICE.toString());
        tollgate.assertSettled(
                (String) settled.get("transaction"), tollgate.chain.account(4).getAddress());
        assertThat(tollgate.balance(payer)).isEqualTo(payerBefore.subtract(X402Gateway.WALK_IN_PRICE));
        assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payoutBefore.add(X402Gateway.WALK_IN_PRICE));
        // what the README shows
        System.out.println("x402 402 PAYMENT-REQUIRED decoded: " + X402Gateway.JSON.writeValueAsString(required));
        System.out.println("x402 PAYMENT-SIGNATURE decoded: "
                + X402Gateway.JSON.writeValueAsString(result.get("paymentSignature")));
        System.out.println("x402 PAYMENT-RESPONSE decoded: " + X402Gateway.JSON.writeValueAsString(settled));
    }
}
