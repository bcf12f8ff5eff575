package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.TokenPermits;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Listings priced in an ERC-20 on a real chain (anvil, the demo dollar deployed): the token's symbol and decimals
 * come from its contract, prices are written and shown in its whole units and stored in its smallest unit, and an
 * address that holds no ERC-20 is refused with {@code token-not-erc20}.
 */
class ListingTokenTest extends ChainTestBase {
    static final String USD = TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(0));
    static final String NOT_ERC20 = "https://tollgate.dev/problems/token-not-erc20";

    private static String listing(String slug, String token, String category) {
        return """
                {"slug":"%s","name":"Dollar prices","description":"priced in the demo dollar",
                 "upstreamUrl":"http://upstream.test:18081",%s"categories":[%s],
                 "routes":[{"method":"GET","path":"/q/**","category":0}]}
                """.formatted(slug, token == null ? "" : "\"token\":\"" + token + "\",", category);
    }

    private HttpResponse<String> create(String slug, String token, String category) throws Exception {
        return send("POST", "/api/listings", listing(slug, token, category), signInAs(ListingOwnershipTest.ACME));
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    @Test
    void aListingInTheDemoDollarTakesItsSymbolAndDecimalsFromTheChainAndPricesInItsUnits() throws Exception {
        String slug = unique("usd");
        var created = create(
                slug, USD.toUpperCase(Locale.ROOT).replace("0X", "0x"), "{\"name\":\"call\",\"price\":\"0.001\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        String body = get("/api/listings/" + slug).body();
        assertThat(JsonPath.<Map<String, Object>>read(body, "$.token"))
                .containsEntry("address", USD.toLowerCase(Locale.ROOT))
                .containsEntry("symbol", "USDT-demo")
                .containsEntry("decimals", 6);
        assertThat(JsonPath.<String>read(body, "$.categories[0].priceWei")).isEqualTo("1000");
        assertThat(JsonPath.<String>read(body, "$.categories[0].price")).isEqualTo("0.001");
        assertThat(jdbc.queryForMap(
                        "select token_address, token_symbol, token_decimals, c.price_wei::text as price from listing l"
                                + " join listing_category c on c.listing_id = l.id where slug = ?",
                        slug))
                .containsEntry("token_address", USD.toLowerCase(Locale.ROOT))
                .containsEntry("token_symbol", "USDT-demo")
                .containsEntry("token_decimals", 6)
                .containsEntry("price", "1000");

        // the version names the unit, and shows the price in it
        String version = get("/api/listings/" + slug + "/versions/1").body();
        assertThat(JsonPath.<String>read(version, "$.content.tokenSymbol")).isEqualTo("USDT-demo");
        assertThat(JsonPath.<Integer>read(version, "$.content.tokenDecimals")).isEqualTo(6);
        assertThat(JsonPath.<String>read(version, "$.content.categories[0].price"))
                .isEqualTo("0.001");

        // gateways learn the token with its unit
        String routes = get("/api/gateway/routes", GATEWAY_CREDENTIAL).body();
        assertThat(JsonPath.<List<String>>read(routes, "$[?(@.listing == '" + slug + "')].token"))
                .containsExactly(USD.toLowerCase(Locale.ROOT));
        assertThat(JsonPath.<List<String>>read(routes, "$[?(@.listing == '" + slug + "')].tokenSymbol"))
                .containsExactly("USDT-demo");
        assertThat(JsonPath.<List<Integer>>read(routes, "$[?(@.listing == '" + slug + "')].tokenDecimals"))
                .containsExactly(6);
        assertThat(JsonPath.<List<String>>read(routes, "$[?(@.listing == '" + slug + "')].prices[0]"))
                .containsExactly("1000");
    }

    @Test
    void baseUnitsAndWholeUnitsAreBothAcceptedWhenTheyAgree() throws Exception {
        String slug = unique("usd-both");
        var created = create(
                slug,
                USD,
                "{\"name\":\"a\",\"priceWei\":\"2500\"},{\"name\":\"b\",\"price\":\"12.5\",\"priceWei\":\"12500000\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JsonPath.<List<String>>read(created.body(), "$.categories[*].price"))
                .containsExactly("0.0025", "12.5");
        assertThat(JsonPath.<List<String>>read(created.body(), "$.categories[*].priceWei"))
                .containsExactly("2500", "12500000");

        var disagreeing = create(unique("usd-disagree"), USD, "{\"name\":\"a\",\"price\":\"1\",\"priceWei\":\"1\"}");
        assertThat(disagreeing.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(disagreeing.body(), "$.errors['categories[0].price']"))
                .contains("1000000 base units", "says 1");
    }

    @Test
    void morePlacesThanTheTokenHasAreRefusedNamingThePrice() throws Exception {
        var refused = create(unique("usd-fine"), USD, "{\"name\":\"call\",\"price\":\"0.0000001\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(refused.body(), "$.type"))
                .isEqualTo("https://tollgate.dev/problems/invalid-request");
        assertThat(JsonPath.<String>read(refused.body(), "$.errors['categories[0].price']"))
                .contains("more than 6 decimal places", "USDT-demo");

        var notAnAmount = create(unique("usd-words"), USD, "{\"name\":\"call\",\"price\":\"1e-3\"}");
        assertThat(notAnAmount.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(notAnAmount.body(), "$.errors['categories[0].price']"))
                .contains("not an amount of USDT-demo");

        var none = create(unique("usd-none"), USD, "{\"name\":\"call\"}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("'price'", "'priceWei'");
    }

    @Test
    void etherListingsTakeWholeEtherTooAndNameEtherAsTheirToken() throws Exception {
        String slug = unique("eth");
        var created = create(slug, "ether", "{\"name\":\"call\",\"price\":\"0.000001\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JsonPath.<String>read(created.body(), "$.categories[0].priceWei"))
                .isEqualTo("1000000000000");
        assertThat(JsonPath.<String>read(created.body(), "$.categories[0].price"))
                .isEqualTo("0.000001");
        assertThat(JsonPath.<Map<String, Object>>read(created.body(), "$.token"))
                .containsEntry("address", "0x0000000000000000000000000000000000000000")
                .containsEntry("symbol", "ETH")
                .containsEntry("decimals", 18);
        assertThat(JsonPath.<Map<String, Object>>read(
                        get("/api/listings/weather").body(), "$.token"))
                .containsEntry("symbol", "ETH");
    }

    @Test
    void aTokenFieldThatIsNotAnAddressIsAFieldError() throws Exception {
        for (String token : List.of("0x1234", "btc", "0x" + "g".repeat(40))) {
            var refused = create(unique("bad-token"), token, "{\"name\":\"call\",\"priceWei\":\"1\"}");
            assertThat(refused.statusCode()).as(token).isEqualTo(400);
            assertThat(JsonPath.<String>read(refused.body(), "$.errors.token")).contains("ERC-20 address");
        }
    }

    @Test
    void anAccountWithoutCodeIsNotAToken() throws Exception {
        String account = chain.account(7).getAddress();
        var refused = create(unique("eoa"), account, "{\"name\":\"call\",\"priceWei\":\"1\"}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<String>read(refused.body(), "$.type")).isEqualTo(NOT_ERC20);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains(account, "no contract code");
        assertThat(JsonPath.<String>read(refused.body(), "$.token")).isEqualTo(account);
    }

    @Test
    void aContractThatIsNotATokenIsRefused() throws Exception {
        var refused = create(unique("factory"), deployment.factory(), "{\"name\":\"call\",\"priceWei\":\"1\"}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(refused.body(), "$.type")).isEqualTo(NOT_ERC20);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail"))
                .contains(deployment.factory().toLowerCase(Locale.ROOT), "decimals()", "not an ERC-20");
    }

    @Test
    void slaAmountsAreWrittenAndShownInTheTokensUnits() throws Exception {
        String slug = unique("usd-sla");
        String monitor = chain.account(8).getAddress();
        String json = listing(slug, USD, "{\"name\":\"call\",\"price\":\"0.001\"}")
                .replace("\"routes\"", """
                        "sla":{"targetBps":9900,"windowSeconds":3600,"quorum":1,"monitors":["%s"],
                               "tiers":[{"belowBps":9900,"penalty":"0.25"},{"belowBps":9000,"penaltyWei":"1000000"}],
                               "collateral":"5","probePath":"/health"},
                        "routes\"""".formatted(monitor));
        var created = send("POST", "/api/listings", json, signInAs(ListingOwnershipTest.ACME));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JsonPath.<String>read(created.body(), "$.sla.collateralWei")).isEqualTo("5000000");
        assertThat(JsonPath.<String>read(created.body(), "$.sla.collateral")).isEqualTo("5");
        assertThat(JsonPath.<List<String>>read(created.body(), "$.sla.tiers[*].penaltyWei"))
                .containsExactly("250000", "1000000");
        assertThat(JsonPath.<List<String>>read(created.body(), "$.sla.tiers[*].penalty"))
                .containsExactly("0.25", "1");
    }

    @Test
    void theTokenOfAListingConsumersNegotiatedOnDoesNotChange() throws Exception {
        String slug = unique("usd-fixed");
        String provider = signInAs(ListingOwnershipTest.ACME);
        assertThat(create(slug, USD, "{\"name\":\"call\",\"price\":\"0.001\"}").statusCode())
                .isEqualTo(201);
        // before anyone negotiated, the provider may still switch to ether (and back)
        var toEther = send(
                "PUT",
                "/api/listings/" + slug,
                listing(slug, null, "{\"name\":\"call\",\"price\":\"0.000001\"}"),
                provider);
        assertThat(toEther.statusCode()).as(toEther.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(toEther.body(), "$.token.symbol")).isEqualTo("ETH");
        var back = send(
                "PUT",
                "/api/listings/" + slug,
                listing(slug, USD, "{\"name\":\"call\",\"price\":\"0.002\"}"),
                provider);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(back.body(), "$.categories[0].priceWei"))
                .isEqualTo("2000");

        var negotiation = send(
                "POST",
                "/api/listings/" + slug + "/negotiations",
                "{\"depositWei\":\"5000000\",\"expectedRequests\":100}",
                signInAs(OWNER));
        assertThat(negotiation.statusCode()).as(negotiation.body()).isEqualTo(201);
        assertThat(JsonPath.<Map<String, Object>>read(negotiation.body(), "$.token"))
                .containsEntry("address", USD.toLowerCase(Locale.ROOT))
                .containsEntry("symbol", "USDT-demo")
                .containsEntry("decimals", 6);

        var refused = send(
                "PUT",
                "/api/listings/" + slug,
                listing(slug, "ether", "{\"name\":\"call\",\"priceWei\":\"1\"}"),
                provider);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains("cannot change", "1 negotiation");
        // the same token keeps being editable, without reading the chain again
        var samePrice = send(
                "PUT",
                "/api/listings/" + slug,
                listing(slug, USD, "{\"name\":\"call\",\"price\":\"0.003\"}"),
                provider);
        assertThat(samePrice.statusCode()).as(samePrice.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(samePrice.body(), "$.categories[0].price"))
                .isEqualTo("0.003");
    }
}
