package io.tollgate.marketplace;

import static io.tollgate.marketplace.ListingOwnershipTest.ACME;
import static io.tollgate.marketplace.ListingOwnershipTest.QUOTIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every create and edit of a listing records an immutable version: its whole content, who and when. */
class ListingVersionsTest extends MarketplaceTestBase {
    @Autowired
    JdbcTemplate jdbc;

    static String listing(String name, String docs, String firstPrice, String secondPrice) {
        return """
                {"slug":"tide-tables","name":"%s","description":"High and low water by harbour",
                 "upstreamUrl":"http://upstream.test:18081/tides","docsUrl":"%s",
                 "categories":[{"name":"today","priceWei":"%s"},{"name":"year","priceWei":"%s"}],
                 "routes":[{"method":"GET","path":"/tides/today/**","category":0},
                           {"method":"POST","path":"/tides/year","category":1}]}
                """.formatted(name, docs, firstPrice, secondPrice);
    }

    @Test
    void createAndEditEachRecordAVersionWithTheWholeContentAndItsAuthor() throws Exception {
        String acme = signInAs(ACME);
        Instant before = Instant.now().minusSeconds(1);
        var created = send(
                "POST",
                "/api/listings",
                listing("Tide tables", "http://upstream.test:18081/docs", "3000000000000", "1" + "0".repeat(70)),
                acme);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JsonPath.<Integer>read(created.body(), "$.version")).isEqualTo(1);

        var edited = send(
                "PUT",
                "/api/listings/tide-tables",
                listing("Tide tables and currents", "http://upstream.test:18081/docs/v2", "3500000000000", "7"),
                acme);
        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<Integer>read(edited.body(), "$.version")).isEqualTo(2);
        assertThat(JsonPath.<Integer>read(get("/api/listings/tide-tables").body(), "$.version"))
                .isEqualTo(2);

        var list = get("/api/listings/tide-tables/versions");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<Integer>>read(list.body(), "$[*].version")).containsExactly(2, 1);
        assertThat(JsonPath.<List<String>>read(list.body(), "$[*].changedBy"))
                .containsExactly(
                        ACME.getAddress().toLowerCase(), ACME.getAddress().toLowerCase());
        for (String at : JsonPath.<List<String>>read(list.body(), "$[*].changedAt")) {
            assertThat(Instant.parse(at)).isBetween(before, Instant.now().plusSeconds(1));
        }

        // the upstream is the provider's to see (and operators', and gateways'), not the public's
        assertThat(JsonPath.<Map<String, Object>>read(
                        get("/api/listings/tide-tables/versions/1").body(), "$.content"))
                .doesNotContainKey("upstreamUrl");
        String first =
                send("GET", "/api/listings/tide-tables/versions/1", "", acme).body();
        assertThat(JsonPath.<Integer>read(first, "$.version")).isEqualTo(1);
        assertThat(JsonPath.<String>read(first, "$.changedBy"))
                .isEqualTo(ACME.getAddress().toLowerCase());
        assertThat(JsonPath.<Map<String, Object>>read(first, "$.content"))
                .containsEntry("name", "Tide tables")
                .containsEntry("description", "High and low water by harbour")
                .containsEntry("upstreamUrl", "http://upstream.test:18081/tides")
                .containsEntry("docsUrl", "http://upstream.test:18081/docs")
                .containsEntry("token", "ether");
        // prices are decimal strings with all their digits, never JSON numbers
        assertThat(JsonPath.<List<Object>>read(first, "$.content.categories[*].priceWei"))
                .containsExactly("3000000000000", "1" + "0".repeat(70));
        assertThat(JsonPath.<List<String>>read(first, "$.content.categories[*].name"))
                .containsExactly("today", "year");
        assertThat(JsonPath.<List<String>>read(first, "$.content.routes[*].path"))
                .containsExactly("/tides/today/**", "/tides/year");
        assertThat(JsonPath.<List<String>>read(first, "$.content.routes[*].method"))
                .containsExactly("GET", "POST");
        assertThat(JsonPath.<List<Integer>>read(first, "$.content.routes[*].category"))
                .containsExactly(0, 1);

        String second = get("/api/listings/tide-tables/versions/2").body();
        assertThat(JsonPath.<String>read(second, "$.content.name")).isEqualTo("Tide tables and currents");
        assertThat(JsonPath.<String>read(second, "$.content.docsUrl")).isEqualTo("http://upstream.test:18081/docs/v2");
        assertThat(JsonPath.<List<Object>>read(second, "$.content.categories[*].priceWei"))
                .containsExactly("3500000000000", "7");
    }

    @Test
    void anotherProviderCannotEditAListingNorAddAVersionToIt() throws Exception {
        var created = send(
                "POST",
                "/api/listings",
                listing("Tide tables", "http://upstream.test:18081/docs", "1", "2")
                        .replace("tide-tables", "tide-guarded"),
                signInAs(ACME));
        assertThat(created.statusCode()).isEqualTo(201);

        var refused = send(
                "PUT",
                "/api/listings/tide-guarded",
                listing("Hijacked", "http://upstream.test:18081/docs", "0", "0").replace("tide-tables", "tide-guarded"),
                signInAs(QUOTIENT));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<String>read(refused.body(), "$.type"))
                .isEqualTo("https://tollgate.dev/problems/forbidden");

        assertThat(JsonPath.<List<Integer>>read(
                        get("/api/listings/tide-guarded/versions").body(), "$[*].version"))
                .containsExactly(1);
        var listing = get("/api/listings/tide-guarded").body();
        assertThat(JsonPath.<String>read(listing, "$.name")).isEqualTo("Tide tables");
        assertThat(JsonPath.<Integer>read(listing, "$.version")).isEqualTo(1);
    }

    @Test
    void unknownVersionsAndListingsAreNotFoundProblems() throws Exception {
        var noVersion = get("/api/listings/weather/versions/99");
        assertThat(noVersion.statusCode()).isEqualTo(404);
        assertThat(noVersion.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Map<String, Object> problem = JsonPath.read(noVersion.body(), "$");
        assertThat(problem)
                .containsEntry("type", "https://tollgate.dev/problems/not-found")
                .containsEntry("listing", "weather")
                .containsEntry("version", 99);
        assertThat((String) problem.get("detail")).contains("/api/listings/weather/versions");

        for (String path : List.of("/api/listings/no-such-api/versions", "/api/listings/no-such-api/versions/1")) {
            var noListing = get(path);
            assertThat(noListing.statusCode()).as(path).isEqualTo(404);
            assertThat(JsonPath.<String>read(noListing.body(), "$.type"))
                    .as(path)
                    .isEqualTo("https://tollgate.dev/problems/not-found");
        }
    }

    @Test
    void theDemoListingsStartAtVersionOneWrittenByTheMarketplaceItself() throws Exception {
        String first = get("/api/listings/quotes/versions/1").body();
        assertThat(JsonPath.<Object>read(first, "$.changedBy")).isNull();
        assertThat(JsonPath.<List<Object>>read(first, "$.content.categories[*].priceWei"))
                .containsExactly("500000000000", "4000000000000", "20000000000000");
    }

    @Test
    void theDatabaseRefusesToChangeOrDeleteAVersion() {
        Long weather = jdbc.queryForObject("select id from listing where slug = 'weather'", Long.class);
        assertThatThrownBy(() -> jdbc.update(
                        "update listing_version set content = '{}' where listing_id = ? and version = 1", weather))
                .hasMessageContaining("listing versions are immutable");
        assertThatThrownBy(() -> jdbc.update("delete from listing_version where listing_id = ?", weather))
                .hasMessageContaining("listing versions are immutable");
    }
}
