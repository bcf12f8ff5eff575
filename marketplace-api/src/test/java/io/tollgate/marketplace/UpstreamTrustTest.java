package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The attacker is a signed-in user who registers as a provider and points a listing at what the gateway can reach
 * but the public cannot (the chain's JSON-RPC, cloud metadata, internal services), or who reads other providers'
 * upstreams to skip the gateway.
 */
class UpstreamTrustTest extends MarketplaceTestBase {

    private static String listing(String slug, String upstream) {
        return """
                {"slug":"%s","name":"Innocent API","description":"nothing to see",
                 "upstreamUrl":"%s","categories":[{"name":"call","priceWei":"1000"}],
                 "routes":[{"method":"*","path":"/**","category":0}]}
                """.formatted(slug, upstream);
    }

    private String newProvider() throws Exception {
        Credentials attacker = Credentials.create(Keys.createEcKeyPair());
        String token = signInAs(attacker);
        String slug = "p-" + attacker.getAddress().substring(2, 14);
        var registered = send("POST", "/api/providers", "{\"slug\":\"" + slug + "\",\"name\":\"Attacker\"}", token);
        assertThat(registered.statusCode()).isEqualTo(201);
        return token;
    }

    private static String slug() {
        return "l-" + Long.toString(System.nanoTime(), 36);
    }

    @ParameterizedTest(name = "{0} is refused ({1})")
    @CsvSource({
        "http://127.0.0.1:8545, loopback, 127.0.0.1 is a loopback address",
        "http://10.0.0.1/, private, 10.0.0.1 is a private (RFC 1918) address",
        "http://169.254.169.254/latest/meta-data/, metadata, 169.254.169.254 is a link-local/metadata address",
        "http://[::1]:8545, loopback, ::1 is a loopback address",
        "http://localhost:8545, loopback, localhost resolves to",
        "http://[::ffff:127.0.0.1]:8545, loopback, a loopback address",
        "http://100.64.1.1, cgnat, carrier-grade NAT",
        "http://[fd00:ec2::254], metadata, metadata",
        "http://user:pass@upstream.test:18081, user-info, user info",
        "ftp://upstream.test/, scheme, only http and https upstreams are allowed",
    })
    void aListingWhoseUpstreamIsInternalIsRefusedNamingTheRule(String upstream, String rule, String detail)
            throws Exception {
        String token = newProvider();
        String slug = slug();
        var response = send("POST", "/api/listings", listing(slug, upstream), token);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(JsonPath.<String>read(response.body(), "$.type")).endsWith("/invalid-request");
        assertThat(JsonPath.<String>read(response.body(), "$.rule")).isEqualTo(rule);
        String field = JsonPath.read(response.body(), "$.errors.upstreamUrl");
        assertThat(field).contains(detail);
        if (!rule.equals("user-info") && !rule.equals("scheme")) {
            assertThat(field).as("says how an operator allows it").contains("tollgate.upstreams.allow-networks=");
        }
        assertThat(get("/api/listings/" + slug).statusCode()).isEqualTo(404);
    }

    @Test
    void aListingCannotBeEditedToPointInside() throws Exception {
        String token = newProvider();
        String slug = slug();
        assertThat(send("POST", "/api/listings", listing(slug, "http://upstream.test:18081"), token)
                        .statusCode())
                .isEqualTo(201);
        var edited = send("PUT", "/api/listings/" + slug, listing(slug, "http://127.0.0.1:6379"), token);
        assertThat(edited.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(edited.body(), "$.errors.upstreamUrl")).contains("loopback");
        // the operator's allowed host still works
        assertThat(send("PUT", "/api/listings/" + slug, listing(slug, "http://upstream.test:9999"), token)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void upstreamsAndSecretsAreShownOnlyToTheProviderOperatorsAndGateways() throws Exception {
        String owner = newProvider();
        String stranger = newProvider();
        String slug = slug();
        var created = send("POST", "/api/listings", listing(slug, "http://upstream.test:18081/api"), owner);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JsonPath.<String>read(created.body(), "$.upstreamUrl")).isEqualTo("http://upstream.test:18081/api");

        // the public catalogue, the listing, its versions: no upstream
        assertThat(get("/api/listings?size=100").body()).doesNotContain("upstream.test:18081/api");
        assertThat(get("/api/listings/" + slug).body()).doesNotContain("upstreamUrl");
        assertThat(get("/api/listings/" + slug + "/versions/1").body()).doesNotContain("upstream.test:18081/api");
        var asStranger = http.send(
                java.net.http.HttpRequest.newBuilder(uri("/api/listings/" + slug))
                        .header("Authorization", "Bearer " + stranger)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(asStranger.body()).doesNotContain("upstream.test:18081/api");
        // the provider sees its own
        var asOwner = http.send(
                java.net.http.HttpRequest.newBuilder(uri("/api/listings/" + slug))
                        .header("Authorization", "Bearer " + owner)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(JsonPath.<String>read(asOwner.body(), "$.upstreamUrl")).isEqualTo("http://upstream.test:18081/api");

        // the secret: the provider reads and rotates it, nobody else
        String path = "/api/provider/listings/" + slug + "/upstream-secret";
        var secret = send("GET", path, "", owner);
        assertThat(secret.statusCode()).isEqualTo(200);
        String first = JsonPath.read(secret.body(), "$.upstreamSecret");
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(JsonPath.<String>read(secret.body(), "$.header")).isEqualTo("Tollgate-Upstream-Secret");
        assertThat(send("GET", path, "", stranger).statusCode()).isEqualTo(403);
        assertThat(send("POST", path, "", stranger).statusCode()).isEqualTo(403);
        assertThat(send("GET", path, "", null).statusCode()).isEqualTo(401);
        var rotated = send("POST", path, "", owner);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String second = JsonPath.read(rotated.body(), "$.upstreamSecret");
        assertThat(second).matches("[0-9a-f]{64}").isNotEqualTo(first);
        assertThat(JsonPath.<String>read(send("GET", path, "", owner).body(), "$.upstreamSecret"))
                .isEqualTo(second);
        // no listing view, public or the provider's, carries the secret
        assertThat(asOwner.body()).doesNotContain(first).doesNotContain(second);
        assertThat(get("/api/listings?size=100").body()).doesNotContain(second);

        // gateways get both with their routes (with their credential; anonymous callers get 401)
        assertThat(get("/api/gateway/routes").statusCode()).isEqualTo(401);
        List<Map<String, Object>> routes = JsonPath.read(
                get("/api/gateway/routes", GATEWAY_CREDENTIAL).body(), "$[?(@.listing == '" + slug + "')]");
        assertThat(routes).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("upstreamUrl", "http://upstream.test:18081/api");
            assertThat(r).containsEntry("upstreamSecret", second);
        });
    }

    @Test
    void listingsHaveDistinctSecrets() throws Exception {
        String owner = newProvider();
        String a = slug();
        String b = slug();
        send("POST", "/api/listings", listing(a, "http://upstream.test:18081"), owner);
        send("POST", "/api/listings", listing(b, "http://upstream.test:18081"), owner);
        String sa = JsonPath.read(
                send("GET", "/api/provider/listings/" + a + "/upstream-secret", "", owner)
                        .body(),
                "$.upstreamSecret");
        String sb = JsonPath.read(
                send("GET", "/api/provider/listings/" + b + "/upstream-secret", "", owner)
                        .body(),
                "$.upstreamSecret");
        assertThat(sa).isNotEqualTo(sb);
    }
}
