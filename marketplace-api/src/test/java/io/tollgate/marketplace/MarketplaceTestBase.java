package io.tollgate.marketplace;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running marketplace for all tests (one Spring context), on the machine's real PostgreSQL in a
 * database of its own, recreated once per test run.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tollgate.demo.enabled=true",
            "tollgate.demo.upstream-url=http://127.0.0.1:18081",
            "tollgate.gateways.credential=" + MarketplaceTestBase.GATEWAY_CREDENTIAL,
            "tollgate.monitors.credential=" + MarketplaceTestBase.MONITOR_CREDENTIAL,
            "tollgate.identity.domain=" + MarketplaceTestBase.DOMAIN,
            "tollgate.identity.uri=" + MarketplaceTestBase.SIGN_IN_URI,
            // the listings tests create name this host; every other upstream meets the strict policy
            "tollgate.upstreams.allow-hosts=upstream.test"
        })
public abstract class MarketplaceTestBase {
    /** {@code -Dtollgate.test.database=...} lets two checkouts run their suites side by side. */
    static final String DATABASE = System.getProperty("tollgate.test.database", "tollgate_marketplace_test");

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    /** What the tests' gateways and monitors present on their feeds. */
    static final String GATEWAY_CREDENTIAL = "test-gateway-credential-0123456789abcdef";

    static final String MONITOR_CREDENTIAL = "test-monitor-credential-0123456789abcdef";

    /**
     * The domain and URI sign-in messages name: configured, as in production, and unlike the Host the tests' requests
     * go to (127.0.0.1 and a random port), so nothing passes because the request's Host happened to match.
     */
    protected static final String DOMAIN = "marketplace.test";

    protected static final String SIGN_IN_URI = "https://marketplace.test/";
    private static boolean created;

    @LocalServerPort
    protected int port;

    protected final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        recreateOnce();
        registry.add("spring.datasource.url", () -> SERVER + DATABASE);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    private static synchronized void recreateOnce() {
        if (created) {
            return;
        }
        try (var connection = DriverManager.getConnection(SERVER + "test", "postgres", "");
                var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the tests", e);
        }
        created = true;
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with {@code Authorization: Bearer <token>}: a service credential or a JWT. */
    protected HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> send(String method, String path, String json)
            throws IOException, InterruptedException {
        return send(method, path, json, null);
    }

    /** Names {@code channel} as {@code subscription}'s channel ({@code POST /api/subscriptions/{id}/channel}). */
    protected HttpResponse<String> postChannel(long subscription, String channel, String token)
            throws IOException, InterruptedException {
        return send(
                "POST", "/api/subscriptions/" + subscription + "/channel", "{\"channel\":\"" + channel + "\"}", token);
    }

    /**
     * The consumer (signed in with {@code token}) asks for the factory call that creates the accepted
     * negotiation's channel, with {@code signer} as its voucher signer and {@code depositWei} deposited.
     */
    protected HttpResponse<String> prepareSubscription(long negotiation, String signer, String depositWei, String token)
            throws IOException, InterruptedException {
        return send(
                "POST",
                "/api/negotiations/" + negotiation + "/subscription",
                "{\"signer\":\"" + signer + "\",\"depositWei\":\"" + depositWei + "\"}",
                token);
    }

    /** Sends JSON, with {@code Authorization: Bearer <token>} when a token is given. */
    protected HttpResponse<String> send(String method, String path, String json, String token)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in with Ethereum as {@code who} (the whole EIP-4361 flow) and returns the bearer token. */
    protected String signInAs(org.web3j.crypto.Credentials who) throws IOException, InterruptedException {
        String nonce = com.jayway.jsonpath.JsonPath.read(
                send("POST", "/api/auth/nonce", "").body(), "$.nonce");
        String message = DOMAIN + " wants you to sign in with your Ethereum account:\n"
                + org.web3j.crypto.Keys.toChecksumAddress(who.getAddress()) + "\n\n\nURI: " + SIGN_IN_URI
                + "\nVersion: 1\nChain ID: 31337\nNonce: " + nonce + "\nIssued At: "
                + java.time.Instant.now().minusSeconds(5);
        var signature = org.web3j.crypto.Sign.signPrefixedMessage(
                message.getBytes(java.nio.charset.StandardCharsets.UTF_8), who.getEcKeyPair());
        String hex = org.web3j.utils.Numeric.toHexString(signature.getR())
                + org.web3j.utils.Numeric.toHexStringNoPrefix(signature.getS())
                + String.format("%02x", signature.getV()[0]);
        String body = "{\"message\":\"" + message.replace("\n", "\\n") + "\",\"signature\":\"" + hex + "\"}";
        var response = send("POST", "/api/auth/sign-in", body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("sign-in failed: " + response.body());
        }
        return com.jayway.jsonpath.JsonPath.read(response.body(), "$.token");
    }

    /**
     * Deploys the factory on a deployer nonce of its own: every test class starts a fresh anvil, and the same
     * deployer nonce would give the same factory and channel addresses as another class's, all registered in the
     * one shared test database.
     */
    protected static io.tollgate.contracts.channel.Deployments.Deployment deployOnAFreshNonce(
            io.tollgate.contracts.testing.AnvilNode chain) {
        chain.call(
                "anvil_setNonce",
                java.util.List.of(
                        chain.account(0).getAddress(),
                        "0x" + Long.toHexString(1_000 + new java.security.SecureRandom().nextInt(1 << 30))));
        return io.tollgate.contracts.channel.Deployments.deploy(chain.web3j(), chain.transactionManager(0));
    }

    /** A quote of the demo "quotes" listing that Quotient counters and {@code consumer} accepts; its id. */
    protected long acceptedNegotiation(String consumer) throws IOException, InterruptedException {
        var request = send(
                "POST",
                "/api/listings/quotes/negotiations",
                "{\"depositWei\":\"1000000000000000\",\"expectedRequests\":10}",
                consumer);
        long id = ((Number) com.jayway.jsonpath.JsonPath.read(request.body(), "$.id")).longValue();
        send(
                "POST",
                "/api/negotiations/" + id + "/counter",
                "{\"pricesWei\":[\"450000000000\",\"3900000000000\",\"19000000000000\"]}",
                signInAs(ListingOwnershipTest.QUOTIENT));
        String state = com.jayway.jsonpath.JsonPath.read(
                send("POST", "/api/negotiations/" + id + "/accept", "", consumer)
                        .body(),
                "$.state");
        if (!"ACCEPTED".equals(state)) {
            throw new IllegalStateException("negotiation " + id + " is " + state + " after accepting");
        }
        return id;
    }
}
