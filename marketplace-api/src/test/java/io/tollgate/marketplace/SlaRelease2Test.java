package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The marketplace with release 2 as the factory's latest release: the subscription's factory call carries the
 * listing's report period where release 1 took a window start (windows start at the creation: nobody picks them),
 * admission checks the report period and the start, and the indexer counts release 2's {@code Claimed} like
 * {@code Redeemed}. (SlaRelease2TestBase registers release 2 for the class and release 1 again afterwards.)
 */
class SlaRelease2Test extends SlaRelease2TestBase {
    @Test
    void theFactoryCallCarriesTheListingsReportPeriodAndTheWindowsStartAtTheChannelsCreation() throws Exception {
        Accepted a = accepted();
        var prepared = prepareSubscription(a.negotiation(), SIGNER.getAddress(), "1000000000000000", a.consumerToken());
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(201);
        // the consumer waits before sending: the windows start when the channel is created, not when prepared
        chain.increaseTime(Duration.ofSeconds(600));
        String channel = sendPrepared(
                a.consumer(),
                JsonPath.read(prepared.body(), "$.to"),
                JsonPath.read(prepared.body(), "$.data"),
                JsonPath.read(prepared.body(), "$.valueWei"));
        assertThat(SlaSettlement.release(chain.web3j(), channel)).isEqualTo(2);
        assertThat(SlaSettlement.readOnly(chain.web3j(), channel).reportPeriod())
                .isEqualTo(Duration.ofSeconds(REPORT_PERIOD));
        Instant created = SlaSettlement.createdAt(chain.web3j(), deployment.factory(), channel)
                .orElseThrow();
        assertThat(ChannelClient.readOnly(chain.web3j(), channel).slaTerms().start())
                .isEqualTo(created);

        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        var activated = postChannel(subscription, channel, a.consumerToken());
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);

        String page = send("GET", "/api/sla/channels/" + channel + "?windows=10", "", a.consumerToken())
                .body();
        assertThat(JsonPath.<Integer>read(page, "$.release")).isEqualTo(2);
        assertThat(((Number) JsonPath.read(page, "$.start")).longValue()).isEqualTo(created.getEpochSecond());
        assertThat(JsonPath.<Integer>read(page, "$.terms.reportPeriodSeconds")).isEqualTo((int) REPORT_PERIOD);

        // window 0: two of three monitors report an outage, added during the report period, settled after it
        var terms = ChannelClient.readOnly(chain.web3j(), channel).slaTerms();
        new ChannelClient(chain.web3j(), channel, chain.transactionManager(0), BigInteger.TEN.pow(12))
                .depositCollateral(SEVERE);
        report(channel, 0, a.monitors().get(0), 5000, terms);
        report(channel, 0, a.monitors().get(2), 8000, terms);
        chain.increaseTime(Duration.between(chainNow(), terms.windowEnd(0)).plusSeconds(1));
        var anyone = new SlaSettlement(chain.web3j(), channel, chain.transactionManager(5), BigInteger.TEN.pow(12));
        anyone.addReports(0, reportsOf(channel, 0));
        catchUp(indexer(0));
        String reporting = send("GET", "/api/sla/channels/" + channel + "?windows=10", "", a.consumerToken())
                .body();
        assertThat(JsonPath.<String>read(reporting, "$.windows[0].status")).isEqualTo("REPORTING");
        assertThat(Instant.parse(JsonPath.read(reporting, "$.windows[0].reportsUntil")))
                .isEqualTo(terms.windowEnd(0).plusSeconds(REPORT_PERIOD));
        assertThat(JsonPath.<List<Integer>>read(reporting, "$.windows[0].added[*].availabilityBps"))
                .containsExactlyInAnyOrder(5000, 8000);
        chain.increaseTime(Duration.ofSeconds(REPORT_PERIOD));
        var settled = anyone.settleWindow(0);
        catchUp(indexer(0));
        String paid = send("GET", "/api/sla/channels/" + channel + "?windows=10", "", a.consumerToken())
                .body();
        var window0 = "$.windows[?(@.window == 0)]";
        assertThat(JsonPath.<List<String>>read(paid, window0 + ".status")).containsExactly("PAID");
        assertThat(JsonPath.<List<Integer>>read(paid, window0 + ".paid.availabilityBps"))
                .containsExactly(5000);
        assertThat(JsonPath.<List<Integer>>read(paid, window0 + ".paid.reports"))
                .containsExactly(2);
        assertThat(JsonPath.<List<String>>read(paid, window0 + ".paid.penaltyWei"))
                .containsExactly(SEVERE.toString());
        assertThat(JsonPath.<List<String>>read(paid, window0 + ".paid.txHash")).containsExactly(settled.txHash());
        assertThat(JsonPath.<String>read(paid, "$.penaltiesPaidWei")).isEqualTo(SEVERE.toString());
        assertThat(JsonPath.<String>read(paid, "$.collateral.paidWei")).isEqualTo(SEVERE.toString());
    }

    @Test
    void aRelease2ChannelWithAReportPeriodOfTheConsumersOwnIsRefused() throws Exception {
        Accepted a = accepted();
        var prepared = prepareSubscription(a.negotiation(), SIGNER.getAddress(), "1000000000000000", a.consumerToken());
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(201);
        // the attacker re-encodes the prepared call with a report period of 16 windows instead of 2: reports of a
        // window it likes could then be collected for a quarter of an hour
        String data = JsonPath.read(prepared.body(), "$.data");
        var decoded = org.web3j.abi.FunctionReturnDecoder.decode(
                "0x" + data.substring(10),
                org.web3j.abi.Utils.convert(List.of(new org.web3j.abi.TypeReference<IntermediaryFactory.Params>() {})));
        var params = (IntermediaryFactory.Params) decoded.getFirst();
        assertThat(params.sla.start)
                .as("the report period in the third field")
                .isEqualTo(BigInteger.valueOf(REPORT_PERIOD));
        var own = new IntermediaryFactory.Params(
                params.owner,
                params.signer,
                params.payout,
                params.operator,
                params.token,
                params.prices,
                params.tolerance,
                params.closeDelay,
                new IntermediaryFactory.Sla(
                        params.sla.targetBps,
                        params.sla.windowLength,
                        BigInteger.valueOf(960),
                        params.sla.tiers,
                        params.sla.monitors,
                        params.sla.quorum));
        String forged = FunctionEncoder.encode(new Function("createChannel", List.of(own), List.of()));
        String channel = sendPrepared(
                a.consumer(),
                JsonPath.read(prepared.body(), "$.to"),
                forged,
                JsonPath.read(prepared.body(), "$.valueWei"));
        assertThat(SlaSettlement.readOnly(chain.web3j(), channel).reportPeriod())
                .isEqualTo(Duration.ofSeconds(960));

        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        var refused = postChannel(subscription, channel, a.consumerToken());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail"))
                .contains("report period is 960 s, not the agreed 120 s");
        assertThat(jdbc.queryForObject("select state from subscription where id = ?", String.class, subscription))
                .isEqualTo("PENDING");
        var registered = send(
                "POST",
                "/api/negotiations/" + a.negotiation() + "/channel",
                "{\"channel\":\"" + channel + "\"}",
                a.consumerToken());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(409);
        assertThat(JsonPath.<String>read(registered.body(), "$.detail")).contains("report period is 960 s");
    }

    @Test
    void aReportPeriodOutsideOneSecondToSixteenWindowsOrAMinorityQuorumIsRefusedNamingTheField() throws Exception {
        String token = signInAs(fresh().key());
        send("POST", "/api/providers", "{\"slug\":\"sla2-bad-co\",\"name\":\"Bad\"}", token);
        List<Credentials> three = List.of(fresh().key(), fresh().key(), fresh().key());
        for (long period : List.of(0L, 16 * 60 + 1L)) {
            String sla =
                    sla(three, 2, 60).replace("\"probePath\"", "\"reportPeriodSeconds\":" + period + ",\"probePath\"");
            var refused = send("POST", "/api/listings", listing("sla2-bad-period-" + period, sla), token);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(JsonPath.<Map<String, Object>>read(refused.body(), "$.errors"))
                    .containsKey("sla.reportPeriodWithinSixteenWindows");
        }
        var minority = send("POST", "/api/listings", listing("sla2-bad-minority", sla(three, 1, 60)), token);
        assertThat(minority.statusCode()).as(minority.body()).isEqualTo(400);
        assertThat(JsonPath.<Map<String, Object>>read(minority.body(), "$.errors"))
                .containsKey("sla.quorumAMajority");
        var defaulted = send("POST", "/api/listings", listing("sla2-default-period", sla(three, 2, 120)), token);
        assertThat(defaulted.statusCode()).as(defaulted.body()).isEqualTo(201);
        assertThat(JsonPath.<Integer>read(
                        get("/api/listings/sla2-default-period").body(), "$.sla.reportPeriodSeconds"))
                .as("one window length")
                .isEqualTo(120);
    }

    @Test
    void release2sClaimedCountsInTheConsumersStatementLikeRedeemedToTheWei() throws Exception {
        Party consumer = fresh();
        var channel = openChannel(consumer, new Wei(new BigInteger("50000000000000000")));
        var asOperator = IntermediaryRelease2.load(
                channel.address(), chain.web3j(), chain.transactionManager(4), new DefaultGasProvider());
        // two claims of epoch 1: 1200 then 1500 requests of category 0 (the second pays 300), 345 of category 1
        asOperator
                .claim(BigInteger.ONE, List.of(redemption(channel, 0, 1200), redemption(channel, 1, 345)))
                .send();
        var second = asOperator
                .claim(BigInteger.ONE, List.of(redemption(channel, 0, 1500)))
                .send();
        var claimed = IntermediaryRelease2.getClaimedEvents(second).getFirst();
        assertThat(claimed.counts)
                .as("the requests newly paid per category")
                .containsExactly(BigInteger.valueOf(300), BigInteger.ZERO);
        catchUp(indexer(0));

        BigInteger paid = PRICES.cost(0, 1500).value().add(PRICES.cost(1, 345).value());
        Instant now = Instant.now();
        var statement = send(
                "GET",
                "/api/billing/statement?from=" + now.minus(Duration.ofDays(1)) + "&to=" + now.plus(Duration.ofHours(1))
                        + "&granularity=hour",
                "",
                signInAs(consumer.key()));
        assertThat(statement.statusCode()).as(statement.body()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(statement.body(), "$.totals[*].chain.redeemed.units"))
                .containsExactly(paid.toString());
        assertThat(JsonPath.<List<String>>read(statement.body(), "$.channels[*].redeemed.units"))
                .containsExactly(paid.toString());
        assertThat(jdbc.queryForObject(
                        "select count(*) from chain_event where channel = ? and name = 'Claimed'",
                        Integer.class,
                        channel.address()))
                .isEqualTo(2);
    }

    ChannelClient openChannel(Party consumer, Wei deposit) {
        var terms = new io.tollgate.contracts.channel.ChannelTerms(
                consumer.address(),
                SIGNER.getAddress(),
                PAYOUT.getAddress(),
                CHANNEL_OPERATOR.getAddress(),
                java.util.Optional.empty(),
                PRICES,
                Duration.ofSeconds(60),
                Duration.ofSeconds(600));
        return FactoryClient.create(chain.web3j(), consumer.transactions(), deployment.factory(), terms, deposit);
    }

    IntermediaryRelease2.Redemption redemption(ChannelClient channel, int category, long count) {
        byte[] digest = VoucherSignatures.voucherDigest(
                AnvilNode.CHAIN_ID, channel.address(), 1, category, count, PRICES.hash());
        return new IntermediaryRelease2.Redemption(
                BigInteger.valueOf(category),
                BigInteger.valueOf(count),
                BigInteger.valueOf(count),
                VoucherSignatures.sign(digest, SIGNER.getEcKeyPair()));
    }
}
