package io.tollgate.gateway.payment.x402;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    static final Path CLIENT = clientFolder();
    static X402Gateway tollgate;

    @BeforeAll
    static void start() throws Exception {
        // the pinned clients, installed once per lock (the web UI's idempotent npm install)
        run(
                List.of(
                        "bash",
                        CLIENT.resolve("../../../../web-ui/scripts/npm-install.sh")
                                .normalize()
                                .toString(),
                        "."),
                300);
        tollgate = X402Gateway.start(1);
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    private static Path clientFolder() {
        Path here = Path.of("src/test/x402-client");
        if (Files.isDirectory(here)) {
            return here.toAbsolutePath();
        }
        return Path.of(System.getProperty("tollgate.root", ".."), "gateway/src/test/x402-client")
                .toAbsolutePath();
    }

    /** Runs {@code command} in the client folder; its standard output, or an error with everything it printed. */
    private static String run(List<String> command, long seconds) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command)
                .directory(CLIENT.toFile())
                .redirectErrorStream(false)
                .start();
        var out = process.getInputStream();
        var err = process.getErrorStream();
        var stderr = new StringBuilder();
        var drain = Thread.ofVirtual().start(() -> {
            try {
                stderr.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process ended
            }
        });
        String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + seconds + " s");
        }
        drain.join();
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " failed (" + process.exitValue() + "): " + stdout + stderr);
        }
        return stdout;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOfficialClientPaysARouteWithExactAndTheSettlementIsOnChain() throws Exception {
        String payer = tollgate.payer().getAddress();
        BigInteger payerBefore = tollgate.balance(payer);
        BigInteger payoutBefore = tollgate.balance(tollgate.payout());
        String key = "0x" + tollgate.payer().getEcKeyPair().getPrivateKey().toString(16);

        String printed = run(
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
        var receipt = tollgate.chain
                .web3j()
                .ethGetTransactionReceipt((String) settled.get("transaction"))
                .send()
                .getTransactionReceipt();
        assertThat(receipt).hasValueSatisfying(r -> {
            assertThat(r.isStatusOK()).isTrue();
            assertThat(r.getTo()).isEqualToIgnoringCase(tollgate.token);
        });
        assertThat(tollgate.balance(payer)).isEqualTo(payerBefore.subtract(X402Gateway.WALK_IN_PRICE));
        assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payoutBefore.add(X402Gateway.WALK_IN_PRICE));
        // what the README shows
        System.out.println("x402 402 PAYMENT-REQUIRED decoded: " + X402Gateway.JSON.writeValueAsString(required));
        System.out.println("x402 PAYMENT-SIGNATURE decoded: "
                + X402Gateway.JSON.writeValueAsString(result.get("paymentSignature")));
        System.out.println("x402 PAYMENT-RESPONSE decoded: " + X402Gateway.JSON.writeValueAsString(settled));
    }
}
