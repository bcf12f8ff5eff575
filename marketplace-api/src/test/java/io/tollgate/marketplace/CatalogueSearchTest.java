package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * Catalogue search filters, sorts and pages. Four listings of two providers of their own (fresh keys) share
 * the word "zebrafind", so each search is narrowed to them ({@code q=zebrafind}) whatever other tests add;
 * each filter is then shown to drop some of the four.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogueSearchTest extends MarketplaceTestBase {
    static final String MAX_UINT256 =
            BigInteger.TWO.pow(256).subtract(BigInteger.ONE).toString();
    static final String TOKEN = "0x00000000000000000000000000000000000000aa";

    @Autowired
    JdbcTemplate jdbc;

    static String listing(String slug, String name, String categories) {
        return listing(slug, name, "Found by the catalogue search tests", categories);
    }

    static String listing(String slug, String name, String description, String categories) {
        return """
                {"slug":"%s","name":"%s","description":"%s",
                 "upstreamUrl":"http://upstream.test:18081","categories":[%s],
                 "routes":[{"method":"GET","path":"/**","category":0}]}
                """.formatted(slug, name, description, categories);
    }

    /** Signs in with a fresh key and registers it as a provider. */
    private String newProvider(String slug, String name) throws Exception {
        String token = signInAs(Credentials.create(Keys.createEcKeyPair()));
        var registered =
                send("POST", "/api/providers", "{\"slug\":\"%s\",\"name\":\"%s\"}".formatted(slug, name), token);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return token;
    }

    static String category(String name, String priceWei) {
        return "{\"name\":\"%s\",\"priceWei\":\"%s\"}".formatted(name, priceWei);
    }

    /** Created in this order (newest last): alpha, beta, gamma, delta. */
    @BeforeAll
    void fourListingsOfTwoProviders() throws Exception {
        String north = newProvider("zf-north", "Northwind Data");
        String south = newProvider("zf-south", "Southgate Feeds");
        create(
                listing(
                        "zf-alpha",
                        "Zebrafind Alpha",
                        category("Lookup", "300") + "," + category("bulk export", "9000")),
                north);
        create(listing("zf-beta", "Beta", "Zebrafind, in the description only", category("search", "100")), south);
        create(listing("zf-gamma", "Zebrafind Gamma", category("stream", MAX_UINT256)), north);
        create(
                listing("zf-delta", "Zebrafind Delta", category("Bulk", "5000") + "," + category("single", "200")),
                south);
        // the API cannot choose a token yet: gamma is funded in an ERC-20 as the chain would have it
        jdbc.update("update listing set token_address = ? where slug = 'zf-gamma'", TOKEN);
    }

    private void create(String json, String token) throws Exception {
        var response = send("POST", "/api/listings", json, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private List<String> slugs(String query) throws Exception {
        var response = get("/api/listings?q=zebrafind&" + query);
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        return JsonPath.read(response.body(), "$[*].slug");
    }

    @Test
    void freeTextMatchesNameDescriptionOrProviderIgnoringCase() throws Exception {
        // beta has the word in its description only
        assertThat(JsonPath.<List<String>>read(get("/api/listings?q=ZebraFind").body(), "$[*].slug"))
                .containsExactly("zf-beta", "zf-alpha", "zf-delta", "zf-gamma");
        assertThat(JsonPath.<List<String>>read(get("/api/listings?q=NORTHWIND").body(), "$[*].slug"))
                .containsExactly("zf-alpha", "zf-gamma");
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?q=zebrafind%20gamma").body(), "$[*].slug"))
                .containsExactly("zf-gamma");
        // LIKE wildcards in the text are taken literally
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?q=zebra%25find").body(), "$[*].slug"))
                .isEmpty();
        assertThat(JsonPath.<List<String>>read(get("/api/listings?q=zebra_ind").body(), "$[*].slug"))
                .isEmpty();
    }

    @Test
    void providerFilterKeepsThatProvidersListings() throws Exception {
        assertThat(slugs("provider=zf-south")).containsExactly("zf-beta", "zf-delta");
        assertThat(slugs("provider=zf-north")).containsExactly("zf-alpha", "zf-gamma");
        assertThat(slugs("provider=nobody")).isEmpty();
    }

    @Test
    void categoryFilterMatchesPartOfACategoryNameIgnoringCase() throws Exception {
        assertThat(slugs("category=BULK")).containsExactly("zf-alpha", "zf-delta");
        assertThat(slugs("category=strea")).containsExactly("zf-gamma");
        assertThat(slugs("category=nothing")).isEmpty();
    }

    @Test
    void maxPriceKeepsListingsWithACategoryAtOrBelowIt() throws Exception {
        assertThat(slugs("maxPriceWei=250")).containsExactly("zf-beta", "zf-delta");
        assertThat(slugs("maxPriceWei=200")).containsExactly("zf-beta", "zf-delta");
        assertThat(slugs("maxPriceWei=199")).containsExactly("zf-beta");
        assertThat(slugs("maxPriceWei=99")).isEmpty();
        // full width: only 2^256-1 itself admits gamma, whose one category costs that
        String belowMax = new BigInteger(MAX_UINT256).subtract(BigInteger.ONE).toString();
        assertThat(slugs("maxPriceWei=" + belowMax)).containsExactly("zf-beta", "zf-alpha", "zf-delta");
        assertThat(slugs("maxPriceWei=" + MAX_UINT256)).containsExactly("zf-beta", "zf-alpha", "zf-delta", "zf-gamma");
    }

    @Test
    void tokenFilterSeparatesEtherFromAnErc20() throws Exception {
        assertThat(slugs("token=eth")).containsExactly("zf-beta", "zf-alpha", "zf-delta");
        assertThat(slugs("token=" + TOKEN.toUpperCase().replace("0X", "0x"))).containsExactly("zf-gamma");
        assertThat(slugs("token=0x00000000000000000000000000000000000000bb")).isEmpty();
    }

    @Test
    void filtersCombine() throws Exception {
        assertThat(slugs("provider=zf-north&maxPriceWei=1000")).containsExactly("zf-alpha");
        assertThat(slugs("provider=zf-south&category=bulk&token=eth")).containsExactly("zf-delta");
    }

    @Test
    void sortsByNameNewestOrCheapestCategory() throws Exception {
        // by name: "Beta" before "Zebrafind Alpha"
        assertThat(slugs("")).containsExactly("zf-beta", "zf-alpha", "zf-delta", "zf-gamma");
        assertThat(slugs("sort=name")).containsExactly("zf-beta", "zf-alpha", "zf-delta", "zf-gamma");
        assertThat(slugs("sort=newest")).containsExactly("zf-delta", "zf-gamma", "zf-beta", "zf-alpha");
        assertThat(slugs("sort=price")).containsExactly("zf-beta", "zf-delta", "zf-alpha", "zf-gamma");
    }

    @Test
    void pagesWithTheTotalInAHeader() throws Exception {
        var first = get("/api/listings?q=zebrafind&sort=price&size=3");
        assertThat(first.headers().firstValue("X-Total-Count")).hasValue("4");
        assertThat(JsonPath.<List<String>>read(first.body(), "$[*].slug"))
                .containsExactly("zf-beta", "zf-delta", "zf-alpha");
        var second = get("/api/listings?q=zebrafind&sort=price&size=3&page=1");
        assertThat(second.headers().firstValue("X-Total-Count")).hasValue("4");
        assertThat(JsonPath.<List<String>>read(second.body(), "$[*].slug")).containsExactly("zf-gamma");
        var beyond = get("/api/listings?q=zebrafind&sort=price&size=3&page=2");
        assertThat(beyond.statusCode()).isEqualTo(200);
        assertThat(beyond.headers().firstValue("X-Total-Count")).hasValue("4");
        assertThat(JsonPath.<List<String>>read(beyond.body(), "$[*].slug")).isEmpty();
        // the last page gives the total without counting; a full page and a page beyond the end count
        assertThat(get("/api/listings?q=zebrafind&provider=nobody").headers().firstValue("X-Total-Count"))
                .hasValue("0");
        // the total counts every match, filters applied
        assertThat(get("/api/listings?q=zebrafind&provider=zf-north&size=1")
                        .headers()
                        .firstValue("X-Total-Count"))
                .hasValue("2");
    }

    @Test
    void withoutSubstringFiltersTheSameFiltersSortsAndPagesHold() throws Exception {
        // no q and no category: the search takes its other plan (walking the sort's index, counting apart)
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?provider=zf-north").body(), "$[*].slug"))
                .containsExactly("zf-alpha", "zf-gamma");
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?provider=zf-south&maxPriceWei=150").body(), "$[*].slug"))
                .containsExactly("zf-beta");
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?provider=zf-north&token=" + TOKEN).body(), "$[*].slug"))
                .containsExactly("zf-gamma");
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?provider=zf-north&token=eth").body(), "$[*].slug"))
                .containsExactly("zf-alpha");
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?provider=zf-south&sort=newest").body(), "$[*].slug"))
                .containsExactly("zf-delta", "zf-beta");
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?provider=zf-north&sort=price").body(), "$[*].slug"))
                .containsExactly("zf-alpha", "zf-gamma");
        for (int page = 0; page < 3; page++) {
            var response = get("/api/listings?provider=zf-south&size=1&page=" + page);
            assertThat(response.headers().firstValue("X-Total-Count"))
                    .as("page " + page)
                    .hasValue("2");
            assertThat(JsonPath.<List<String>>read(response.body(), "$[*].slug"))
                    .as("page " + page)
                    .isEqualTo(page == 0 ? List.of("zf-beta") : page == 1 ? List.of("zf-delta") : List.of());
        }
    }

    @Test
    void theDefaultPageHasTwentyListings() throws Exception {
        String many = newProvider("zf-many", "Manifold");
        // named to sort after the demo listings, which other tests look for on the default page
        for (int i = 0; i < 21; i++) {
            create(listing("zf-many-" + i, "Zz manyfold " + i, category("one", "1")), many);
        }
        var page = get("/api/listings?q=manyfold");
        assertThat(JsonPath.<List<String>>read(page.body(), "$[*].slug")).hasSize(20);
        assertThat(page.headers().firstValue("X-Total-Count")).hasValue("21");
        assertThat(JsonPath.<List<String>>read(
                        get("/api/listings?q=manyfold&size=100").body(), "$[*].slug"))
                .hasSize(21);
    }

    @Test
    void badParametersAreProblemsSayingWhatIsAllowed() throws Exception {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("maxPriceWei=-1", "maxPriceWei"),
                Map.entry("maxPriceWei=1e3", "maxPriceWei"),
                Map.entry("maxPriceWei=1.5", "maxPriceWei"),
                Map.entry("maxPriceWei=abc", "maxPriceWei"),
                Map.entry("maxPriceWei=", "maxPriceWei"),
                Map.entry("maxPriceWei=" + "9".repeat(79), "maxPriceWei"),
                Map.entry("maxPriceWei=" + BigInteger.TWO.pow(256), "maxPriceWei"),
                Map.entry("token=0x1234", "token"),
                Map.entry("token=0x" + "g".repeat(40), "token"),
                Map.entry("token=btc", "token"),
                Map.entry("size=0", "size"),
                Map.entry("size=101", "size"),
                Map.entry("size=ten", "size"),
                Map.entry("page=-1", "page"),
                Map.entry("page=first", "page"),
                Map.entry("sort=cheapest", "sort"),
                Map.entry("q=" + "x".repeat(101), "q"));
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = get("/api/listings?" + c.getKey());
            String parameter = c.getValue();
            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(c.getKey())
                    .hasValue("application/problem+json");
            assertThat(JsonPath.<String>read(response.body(), "$.type"))
                    .as(c.getKey())
                    .isEqualTo("https://tollgate.dev/problems/invalid-request");
            assertThat(JsonPath.<Map<String, String>>read(response.body(), "$.errors"))
                    .as(c.getKey())
                    .containsOnlyKeys(parameter);
            assertThat(JsonPath.<String>read(response.body(), "$.detail"))
                    .as(c.getKey())
                    .contains(parameter + " must be");
        }
        String sort = get("/api/listings?sort=cheapest").body();
        assertThat(JsonPath.<String>read(sort, "$.errors.sort")).contains("name, newest, price");
        String size = get("/api/listings?size=101").body();
        assertThat(JsonPath.<String>read(size, "$.errors.size")).contains("1 to 100");
        String price = get("/api/listings?maxPriceWei=-1").body();
        assertThat(JsonPath.<String>read(price, "$.errors.maxPriceWei")).contains("decimal", "2^256-1");
        String address = get("/api/listings?token=" + URLEncoder.encode("0x12 34", StandardCharsets.UTF_8))
                .body();
        assertThat(JsonPath.<String>read(address, "$.errors.token")).contains("'eth'", "0x and 40 hex digits");
        // several wrong parameters: each is named
        assertThat(JsonPath.<Map<String, String>>read(
                        get("/api/listings?size=0&sort=x&maxPriceWei=-5").body(), "$.errors"))
                .containsOnlyKeys("size", "sort", "maxPriceWei");
    }
}
