package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.web3j.crypto.Credentials;

/** Quote requests through to an accepted price table, the automatic rules, expiry and illegal moves. */
class NegotiationTest extends MarketplaceTestBase {
    static final Credentials ACME = ListingOwnershipTest.ACME;
    static final Credentials QUOTIENT = ListingOwnershipTest.QUOTIENT;
    /** anvil's public test account 8: a consumer. */
    static final Credentials CONSUMER =
            Credentials.create("dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97");

    @Autowired
    JdbcTemplate jdbc;

    long id(HttpResponse<String> response) {
        return ((Number) JsonPath.read(response.body(), "$.id")).longValue();
    }

    String state(HttpResponse<String> response) {
        return JsonPath.read(response.body(), "$.state");
    }

    @Test
    void automaticRulesOfferADiscountNeverBelowTheFloorAndTheConsumerAccepts() throws Exception {
        String acme = signInAs(ACME);
        var rules = send("PUT", "/api/listings/weather/rules", """
                {"autoQuote":true,"minDepositWei":"1000000000000000",
                 "floorsWei":["950000000000","2000000000000"],
                 "tiers":[{"minDepositWei":"10000000000000000","minRequests":0,"discountBps":1000}]}
                """, acme);
        assertThat(rules.statusCode()).isEqualTo(204);

        String consumer = signInAs(CONSUMER);
        var tooSmall = send(
                "POST",
                "/api/listings/weather/negotiations",
                "{\"depositWei\":\"1\",\"expectedRequests\":0}",
                consumer);
        assertThat(tooSmall.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(tooSmall.body(), "$.minimumDepositWei"))
                .isEqualTo("1000000000000000");

        var offer = send(
                "POST",
                "/api/listings/weather/negotiations",
                "{\"depositWei\":\"10000000000000000\",\"expectedRequests\":5000}",
                consumer);
        assertThat(offer.statusCode()).isEqualTo(201);
        assertThat(state(offer)).isEqualTo("OFFERED");
        // 10 % off 1e12 is 9e11, below the floor 9.5e11; 10 % off 2.5e12 is 2.25e12
        assertThat(JsonPath.<List<String>>read(offer.body(), "$.pricesWei"))
                .containsExactly("950000000000", "2250000000000");

        var accepted = send("POST", "/api/negotiations/" + id(offer) + "/accept", "", consumer);
        assertThat(state(accepted)).isEqualTo("ACCEPTED");
        assertThat(JsonPath.<String>read(accepted.body(), "$.priceTableHash"))
                .isEqualTo(io.tollgate.pricing.PriceTable.of(950_000_000_000L, 2_250_000_000_000L)
                        .hashHex());

        var again = send("POST", "/api/negotiations/" + id(offer) + "/accept", "", consumer);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<String>read(again.body(), "$.state")).isEqualTo("ACCEPTED");
        assertThat(JsonPath.<List<String>>read(again.body(), "$.allowed")).isEmpty();

        // both parties find it in their lists, a stranger does not
        String path = "$[?(@.id == " + id(offer) + ")].state";
        assertThat(JsonPath.<List<String>>read(
                        send("GET", "/api/negotiations", "", consumer).body(), path))
                .containsExactly("ACCEPTED");
        assertThat(JsonPath.<List<String>>read(
                        send("GET", "/api/negotiations", "", acme).body(), path))
                .containsExactly("ACCEPTED");
        assertThat(JsonPath.<List<String>>read(
                        send("GET", "/api/negotiations", "", signInAs(QUOTIENT)).body(), path))
                .isEmpty();
    }

    @Test
    void theProviderCountersAndOnlyThePartiesMayAnswer() throws Exception {
        String consumer = signInAs(CONSUMER);
        var request = send(
                "POST",
                "/api/listings/quotes/negotiations",
                "{\"depositWei\":\"5000000000000000\",\"expectedRequests\":100,"
                        + "\"proposedPricesWei\":[\"1\",\"2\",\"3\"]}",
                consumer);
        assertThat(state(request)).isEqualTo("REQUESTED");
        long id = id(request);

        var selfAccept = send("POST", "/api/negotiations/" + id + "/accept", "", consumer);
        assertThat(selfAccept.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<List<String>>read(selfAccept.body(), "$.allowed"))
                .contains("PROVIDER_COUNTER", "CONSUMER_REJECT");

        var stranger = send(
                "POST", "/api/negotiations/" + id + "/counter", "{\"pricesWei\":[\"9\",\"9\",\"9\"]}", signInAs(ACME));
        assertThat(stranger.statusCode()).isEqualTo(404);

        String quotient = signInAs(QUOTIENT);
        var wrongSize = send("POST", "/api/negotiations/" + id + "/counter", "{\"pricesWei\":[\"9\"]}", quotient);
        assertThat(wrongSize.statusCode()).isEqualTo(400);
        var counter = send(
                "POST",
                "/api/negotiations/" + id + "/counter",
                "{\"pricesWei\":[\"400000000000\",\"3500000000000\",\"18000000000000\"]}",
                quotient);
        assertThat(state(counter)).isEqualTo("OFFERED");
        var rejected = send("POST", "/api/negotiations/" + id + "/reject", "", consumer);
        assertThat(state(rejected)).isEqualTo("REJECTED");
        assertThat(JsonPath.<List<String>>read(get(id, consumer).body(), "$.pricesWei"))
                .containsExactly("400000000000", "3500000000000", "18000000000000");
    }

    @Test
    void anExpiredOfferCannotBeAccepted() throws Exception {
        String consumer = signInAs(CONSUMER);
        var request = send(
                "POST", "/api/listings/quotes/negotiations", "{\"depositWei\":\"1\",\"expectedRequests\":1}", consumer);
        long id = id(request);
        var counter = send(
                "POST",
                "/api/negotiations/" + id + "/counter",
                "{\"pricesWei\":[\"1\",\"1\",\"1\"]}",
                signInAs(QUOTIENT));
        assertThat(state(counter)).isEqualTo("OFFERED");
        jdbc.update("update negotiation set expires_at = now() - interval '1 second' where id = ?", id);

        var late = send("POST", "/api/negotiations/" + id + "/accept", "", consumer);
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(late.body(), "$.detail")).containsIgnoringCase("expired");
        assertThat(state(get(id, consumer))).isEqualTo("EXPIRED");
    }

    @Test
    void badQuoteRequestsAreRefused() throws Exception {
        String consumer = signInAs(CONSUMER);
        var negative = send(
                "POST",
                "/api/listings/quotes/negotiations",
                "{\"depositWei\":\"-5\",\"expectedRequests\":1}",
                consumer);
        assertThat(negative.statusCode()).isEqualTo(400);
        var unknown = send(
                "POST", "/api/listings/nope/negotiations", "{\"depositWei\":\"5\",\"expectedRequests\":1}", consumer);
        assertThat(unknown.statusCode()).isEqualTo(404);
        var mismatch = send(
                "POST",
                "/api/listings/quotes/negotiations",
                "{\"depositWei\":\"5\",\"expectedRequests\":1,\"proposedPricesWei\":[\"1\"]}",
                consumer);
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/listings/quotes/negotiations", "{\"depositWei\":\"5\"}", null)
                        .statusCode())
                .isEqualTo(401);
    }

    HttpResponse<String> get(long id, String token) throws Exception {
        return send("GET", "/api/negotiations/" + id, "", token);
    }
}
