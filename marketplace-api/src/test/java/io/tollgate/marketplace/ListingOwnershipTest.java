package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** Providers write their own listings and nobody else's; bad listings get problems naming the fields. */
class ListingOwnershipTest extends MarketplaceTestBase {
    /** anvil's public test accounts: 2 pays acme-weather, 3 pays quotient-markets, 6 is nobody yet. */
    static final Credentials ACME =
            Credentials.create("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    static final Credentials QUOTIENT =
            Credentials.create("7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
    static final Credentials NEWCOMER =
            Credentials.create("92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e");

    static String listing(String slug, String price, int routeCategory) {
        return """
                {"slug":"%s","name":"Air quality","description":"PM2.5 by city",
                 "upstreamUrl":"http://upstream.test:18081","categories":[{"name":"reading","priceWei":"%s"}],
                 "routes":[{"method":"GET","path":"/air/**","category":%d}]}
                """.formatted(slug, price, routeCategory);
    }

    @Test
    void aProviderCreatesAndReplacesItsOwnListing() throws Exception {
        String token = signInAs(ACME);
        var created = send("POST", "/api/listings", listing("air-quality", "700000000000", 0), token);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JsonPath.<String>read(created.body(), "$.provider")).isEqualTo("acme-weather");
        assertThat(JsonPath.<List<String>>read(get("/api/listings").body(), "$[*].slug"))
                .contains("air-quality");

        var replaced = send("PUT", "/api/listings/air-quality", listing("air-quality", "800000000000", 0), token);
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(get("/api/listings/air-quality").body(), "$.categories[*].priceWei"))
                .containsExactly("800000000000");
    }

    @Test
    void concurrentCreatesOfOneNameGiveOneListingAndConflictsNeverAFailure() throws Exception {
        String token = signInAs(ACME);
        String slug = "race-" + Long.toString(System.nanoTime(), 36);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> send("POST", "/api/listings", listing(slug, "1000", 0), token)
                        .statusCode()));
            }
            var statuses = new java.util.ArrayList<Integer>();
            for (var answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        }
    }

    @Test
    void nobodyEditsAnotherProvidersListing() throws Exception {
        var response = send("PUT", "/api/listings/weather", listing("weather", "1", 0), signInAs(QUOTIENT));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<String>read(response.body(), "$.detail")).contains("belongs to provider 'acme-weather'");
        assertThat(JsonPath.<List<String>>read(get("/api/listings/weather").body(), "$.categories[*].priceWei"))
                .containsExactly("1000000000000", "2500000000000");
    }

    @Test
    void aNonProviderMustRegisterFirst() throws Exception {
        String token = signInAs(NEWCOMER);
        var refused = send("POST", "/api/listings", listing("newcomer-api", "1", 0), token);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains("POST /api/providers");

        var registered = send("POST", "/api/providers", "{\"slug\":\"newcomer\",\"name\":\"Newcomer\"}", token);
        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/listings", listing("newcomer-api", "1", 0), token)
                        .statusCode())
                .isEqualTo(201);
        assertThat(send("POST", "/api/providers", "{\"slug\":\"again\",\"name\":\"Again\"}", token)
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void badListingsAreRefusedNamingTheFields() throws Exception {
        String token = signInAs(ACME);
        Map<String, String> cases = Map.of(
                listing("neg-price", "-1", 0), "categories[0].priceWei",
                listing("big-price", "1" + "0".repeat(78), 0), "categories[0].priceUint256",
                listing("bad-category", "1", 3), "everyRouteCategoryKnown",
                listing("BAD SLUG", "1", 0), "slug",
                listing("bad-url", "1", 0).replace("http://upstream.test:18081", "ftp://nope"), "upstreamUrl");
        for (var c : cases.entrySet()) {
            var response = send("POST", "/api/listings", c.getKey(), token);
            assertThat(response.statusCode()).as(c.getValue()).isEqualTo(400);
            assertThat(JsonPath.<Map<String, String>>read(response.body(), "$.errors"))
                    .as(c.getValue())
                    .containsKey(c.getValue());
        }
        var malformed = send("POST", "/api/listings", "{\"slug\": ", token);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(malformed.body(), "$.type")).endsWith("/malformed-request");
        assertThat(send("POST", "/api/listings", listing("no-token", "1", 0), null)
                        .statusCode())
                .isEqualTo(401);
    }
}
