package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * SLA terms from the listing to the channel and back to its parties: a provider writes terms on a listing, the
 * consumer's channel is created with them (verified at activation), monitors learn it from the feed, and the SLA
 * page shows each window's signed reports, their median against the promise, the penalty the chain paid (indexed
 * from {@code WindowReported}) and the collateral down to exhausted, only to the channel's parties.
 */
class SlaApiTest extends SlaTestBase {
    @Test
    void theChannelHoldsTheListingsTermsAndMonitorsLearnItFromTheFeed() throws Exception {
        Subscribed s = subscribe();
        var listing = get("/api/listings/" + s.slug()).body();
        assertThat(JsonPath.<Integer>read(listing, "$.sla.targetBps")).isEqualTo(9900);
        assertThat(JsonPath.<List<String>>read(listing, "$.sla.tiers[*].penaltyWei"))
                .containsExactly(MILD.toString(), SEVERE.toString());
        assertThat(JsonPath.<Map<String, Object>>read(
                        get("/api/listings/" + s.slug() + "/versions/1").body(), "$.content.sla"))
                .containsEntry("quorum", 2)
                .containsEntry("probePath", "/probe");

        SlaTerms onChain = ChannelClient.readOnly(chain.web3j(), s.channel()).slaTerms();
        assertThat(onChain.monitors())
                .containsExactlyElementsOf(s.monitors().stream()
                        .map(m -> m.getAddress().toLowerCase(Locale.ROOT))
                        .toList());
        assertThat(onChain.quorum()).isEqualTo(2);
        assertThat(onChain.windowLength()).isEqualTo(Duration.ofMinutes(1));
        assertThat(onChain.penaltyFor(8999)).isEqualTo(SEVERE);
        assertThat(onChain.start().getEpochSecond() % 60)
                .as("windows start on whole minutes")
                .isZero();

        String feed = get("/api/sla/monitoring?monitor=" + s.monitors().get(1).getAddress(), MONITOR_CREDENTIAL)
                .body();
        assertThat(JsonPath.<List<String>>read(feed, "$[*].channel")).contains(s.channel());
        assertThat(JsonPath.<List<String>>read(feed, "$[?(@.channel == '" + s.channel() + "')].probeUrl"))
                .containsExactly("http://upstream.test:18081/probe");
        assertThat(JsonPath.<List<String>>read(feed, "$[?(@.channel == '" + s.channel() + "')].listing"))
                .containsExactly(s.slug());
        assertThat(JsonPath.<List<String>>read(
                        get("/api/sla/monitoring?monitor=" + fresh().address(), MONITOR_CREDENTIAL)
                                .body(),
                        "$[*].channel"))
                .doesNotContain(s.channel());

        String mine = send("GET", "/api/sla/channels", "", signInAs(s.consumer().key()))
                .body();
        assertThat(JsonPath.<List<String>>read(mine, "$[*].channel")).containsExactly(s.channel());
        assertThat(JsonPath.<List<String>>read(mine, "$[*].role")).containsExactly("consumer");
        assertThat(JsonPath.<List<String>>read(
                        send(
                                        "GET",
                                        "/api/sla/channels",
                                        "",
                                        signInAs(s.provider().key()))
                                .body(),
                        "$[*].role"))
                .containsExactly("provider");
    }

    @Test
    void theSlaPageShowsReportsMediansPenaltiesPaidAndTheCollateralDownToExhausted() throws Exception {
        Subscribed s = subscribe();
        var consumer = ChannelClient.readOnly(chain.web3j(), s.channel());
        SlaTerms terms = consumer.slaTerms();
        var provider =
                new ChannelClient(chain.web3j(), s.channel(), s.provider().transactions(), BigInteger.TEN.pow(12));
        provider.depositCollateral(SEVERE); // exactly one severe window
        Wei deposit = consumer.state().unredeemed();

        // window 0: an outage, one monitor an outlier; window 1: another; window 2: one report only
        report(s.channel(), 0, s.monitors().get(0), 8500, terms);
        report(s.channel(), 0, s.monitors().get(1), 10_000, terms);
        report(s.channel(), 0, s.monitors().get(2), 8700, terms);
        report(s.channel(), 1, s.monitors().get(0), 5000, terms);
        report(s.channel(), 1, s.monitors().get(2), 5100, terms);
        report(s.channel(), 2, s.monitors().get(1), 9000, terms);
        submitAfter(s.channel(), terms.windowEnd(3), 0, 1);

        assertThat(consumer.state().unredeemed())
                .as("the consumer got exactly the severe penalty, the second window found nothing left")
                .isEqualTo(deposit.plus(SEVERE));
        String page = send(
                        "GET",
                        "/api/sla/channels/" + s.channel() + "?windows=1000",
                        "",
                        signInAs(s.consumer().key()))
                .body();
        assertThat(JsonPath.<String>read(page, "$.collateral.depositedWei")).isEqualTo(SEVERE.toString());
        assertThat(JsonPath.<String>read(page, "$.collateral.paidWei")).isEqualTo(SEVERE.toString());
        assertThat(JsonPath.<String>read(page, "$.collateral.remainingWei")).isEqualTo("0");
        assertThat(JsonPath.<String>read(page, "$.collateral.state")).isEqualTo("EXHAUSTED");
        assertThat(JsonPath.<String>read(page, "$.penaltiesPaidWei")).isEqualTo(SEVERE.toString());

        assertThat(JsonPath.<List<String>>read(page, "$.windows[?(@.window == 0)].status"))
                .containsExactly("PAID");
        assertThat(JsonPath.<List<Integer>>read(page, "$.windows[?(@.window == 0)].medianBps"))
                .as("the outlier did not move the median")
                .containsExactly(8700);
        assertThat(JsonPath.<List<String>>read(page, "$.windows[?(@.window == 0)].paid.penaltyWei"))
                .containsExactly(SEVERE.toString());
        assertThat(JsonPath.<List<Integer>>read(page, "$.windows[?(@.window == 0)].reports.length()"))
                .containsExactly(3);
        assertThat(JsonPath.<List<String>>read(page, "$.windows[?(@.window == 1)].duePenaltyWei"))
                .containsExactly(SEVERE.toString());
        assertThat(JsonPath.<List<String>>read(page, "$.windows[?(@.window == 1)].paid.penaltyWei"))
                .as("exhausted collateral pays nothing, and nothing underflows")
                .containsExactly("0");
        assertThat(JsonPath.<List<String>>read(page, "$.windows[?(@.window == 2)].status"))
                .containsExactly("AWAITING_REPORTS");
        assertThat(JsonPath.<List<Boolean>>read(page, "$.windows[?(@.window == 2)].met"))
                .containsExactly(false);

        assertThat(send(
                                "GET",
                                "/api/sla/channels/" + s.channel(),
                                "",
                                signInAs(s.provider().key()))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/sla/channels/" + s.channel(), "", signInAs(MARKET_OPERATOR))
                        .statusCode())
                .isEqualTo(200);
        var stranger = send("GET", "/api/sla/channels/" + s.channel(), "", signInAs(fresh().key()));
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(get("/api/sla/channels/" + s.channel()).statusCode()).isEqualTo(401);
        assertThat(send(
                                "GET",
                                "/api/sla/channels/" + fresh().address(),
                                "",
                                signInAs(s.consumer().key()))
                        .statusCode())
                .isEqualTo(404);
        assertThat(send(
                                "GET",
                                "/api/sla/channels/" + s.channel() + "?windows=0",
                                "",
                                signInAs(s.consumer().key()))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void termsThatCannotWorkAreRefusedNamingTheFields() throws Exception {
        String token = signInAs(fresh().key());
        send("POST", "/api/providers", "{\"slug\":\"sla-bad-co\",\"name\":\"Bad\"}", token);
        List<Credentials> two = List.of(fresh().key(), fresh().key());
        var unreachable = send("POST", "/api/listings", listing("sla-bad-quorum", sla(two, 3, 60)), token);
        assertThat(unreachable.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<Map<String, Object>>read(unreachable.body(), "$.errors"))
                .containsKey("sla.quorumReachable");
        var partMinute = send("POST", "/api/listings", listing("sla-bad-window", sla(two, 2, 90)), token);
        assertThat(partMinute.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<Map<String, Object>>read(partMinute.body(), "$.errors"))
                .containsKey("sla.windowWholeMinutes");
        var twice = send(
                "POST", "/api/listings", listing("sla-bad-twice", sla(List.of(two.get(0), two.get(0)), 1, 60)), token);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(get("/api/listings/sla-bad-quorum").statusCode()).isEqualTo(404);
    }
}
