package io.tollgate.gateway.payment.x402;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.testing.AnvilNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code tollgate.gateway.x402.facilitator-url} set, an {@code exact} payment is settled by that facilitator
 * ({@code POST /settle}) instead of the operator key: here a facilitator built from the official packages ({@code
 * x402Facilitator} with {@code @x402/evm}'s exact facilitator scheme, anvil account 5 paying the gas).
 */
class FacilitatorSettlementTest {
    static X402Gateway tollgate;
    static Process facilitator;
    static Path log;

    @BeforeAll
    static void start() throws Exception {
        NodeScripts.install();
        int port = AnvilNode.freePort();
        tollgate = X402Gateway.start(1, List.of("--tollgate.gateway.x402.facilitator-url=http://127.0.0.1:" + port));
        log = Files.createTempFile("x402-facilitator", ".log");
        facilitator = NodeScripts.start(
                List.of(
                        "node",
                        "facilitator.mjs",
                        Integer.toString(port),
                        tollgate.chain.rpcUrl(),
                        Long.toString(AnvilNode.CHAIN_ID),
                        "0x"
                                + tollgate.chain
                                        .account(5)
                                        .getEcKeyPair()
                                        .getPrivateKey()
                                        .toString(16)),
                log);
        var http = HttpClient.newHttpClient();
        for (int attempt = 0; ; attempt++) {
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/verify"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                break;
            } catch (java.io.IOException e) {
                if (attempt > 100 || !facilitator.isAlive()) {
                    throw new IllegalStateException("the facilitator did not start: " + Files.readString(log), e);
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (facilitator != null) {
            facilitator.destroy();
        }
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    void theFacilitatorSettlesAndTheBalancesMoveByThePrice() throws Exception {
        BigInteger payer = tollgate.balance(tollgate.payer().getAddress());
        BigInteger payout = tollgate.balance(tollgate.payout());

        var response =
                tollgate.get(0, X402Gateway.header(tollgate.payload(tollgate.authorization(), tollgate.payer())));

        assertThat(response.statusCode()).isEqualTo(200);
        var settled = X402Gateway.decode(
                response.headers().firstValue("PAYMENT-RESPONSE").orElseThrow());
        assertThat(settled).as(Files.readString(log)).containsEntry("success", true);
        tollgate.assertSettled(
                (String) settled.get("transaction"), tollgate.chain.account(5).getAddress());
        assertThat(tollgate.balance(tollgate.payer().getAddress()))
                .isEqualTo(payer.subtract(X402Gateway.WALK_IN_PRICE));
        assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payout.add(X402Gateway.WALK_IN_PRICE));
    }
}
