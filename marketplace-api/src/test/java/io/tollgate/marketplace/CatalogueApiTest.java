package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogueApiTest extends MarketplaceTestBase {

    @Test
    void listsTheDemoListingsWithPricesAsDecimalStrings() throws Exception {
        var response = get("/api/listings");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> slugs = JsonPath.read(response.body(), "$[*].slug");
        assertThat(slugs).contains("weather", "quotes");
        List<Object> prices = JsonPath.read(response.body(), "$[?(@.slug == 'weather')].categories[*].priceWei");
        assertThat(prices).containsExactly("1000000000000", "2500000000000");
        List<String> upstreams = JsonPath.read(response.body(), "$[*].upstreamUrl");
        assertThat(upstreams)
                .as("upstream URLs are shown only to providers, operators and gateways")
                .isEmpty();
    }

    @Test
    void searchesNamesDescriptionsAndProvidersIgnoringCase() throws Exception {
        List<String> slugs = JsonPath.read(get("/api/listings?q=QUOTIENT").body(), "$[*].slug");
        assertThat(slugs).containsExactly("quotes");
        List<String> none =
                JsonPath.read(get("/api/listings?q=nothing-like-this").body(), "$[*].slug");
        assertThat(none).isEmpty();
    }

    @Test
    void oneListingCarriesTheHashOfItsListPrices() throws Exception {
        var body = get("/api/listings/weather").body();
        String hash = JsonPath.read(body, "$.priceTableHash");
        assertThat(hash)
                .isEqualTo(io.tollgate.pricing.PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L)
                        .hashHex());
    }

    @Test
    void anUnknownListingIsAProblemNamingIt() throws Exception {
        var response = get("/api/listings/no-such-api");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Map<String, Object> problem = JsonPath.read(response.body(), "$");
        assertThat(problem)
                .containsEntry("type", "https://tollgate.dev/problems/not-found")
                .containsEntry("title", "Not found")
                .containsEntry("status", 404)
                .containsEntry("listing", "no-such-api")
                .containsEntry("instance", "/api/listings/no-such-api");
        assertThat((String) problem.get("detail")).contains("GET /api/listings");
    }

    @Test
    void frameworkErrorsAreProblemsOfTheCatalogueToo() throws Exception {
        var wrongMethod = get("/api/auth/sign-in");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        String type = JsonPath.read(wrongMethod.body(), "$.type");
        assertThat(type).isEqualTo("https://tollgate.dev/problems/method-not-allowed");

        var tooLong = get("/api/listings?q=" + "x".repeat(101));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        String invalid = JsonPath.read(tooLong.body(), "$.type");
        assertThat(invalid).isEqualTo("https://tollgate.dev/problems/invalid-request");

        var unknownPath = get("/api/auth/nothing-here");
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        // changing the catalogue needs a signed-in caller: refused before anything else is looked at
        var anonymousDelete = send("DELETE", "/api/listings", "");
        assertThat(anonymousDelete.statusCode()).isEqualTo(401);
        assertThat(anonymousDelete.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<String>read(anonymousDelete.body(), "$.type"))
                .isEqualTo("https://tollgate.dev/problems/unauthenticated");
    }

    @Test
    void gatewaysGetEveryListingsRoutesPricesAndPayout() throws Exception {
        var body = get("/api/gateway/routes", GATEWAY_CREDENTIAL).body();
        List<String> prices = JsonPath.read(body, "$[?(@.listing == 'quotes')].prices[*]");
        assertThat(prices).containsExactly("500000000000", "4000000000000", "20000000000000");
        List<String> methods = JsonPath.read(body, "$[?(@.listing == 'quotes')].routes[*].method");
        assertThat(methods).containsExactly("GET", "POST", "POST");
        List<String> payouts = JsonPath.read(body, "$[?(@.listing == 'weather')].provider");
        assertThat(payouts).containsExactly("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
        // Acme names its gateway's operator key; Quotient redeems with its payout address
        assertThat(JsonPath.<List<String>>read(body, "$[?(@.listing == 'weather')].operator"))
                .containsExactly("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
        assertThat(JsonPath.<List<String>>read(body, "$[?(@.listing == 'quotes')].operator"))
                .containsExactly("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
    }

    @Test
    void healthAndOpenApiAreServed() throws Exception {
        assertThat(get("/actuator/health").body()).contains("\"UP\"");
        String title = JsonPath.read(get("/v3/api-docs").body(), "$.info.title");
        assertThat(title).isNotBlank();
    }
}
