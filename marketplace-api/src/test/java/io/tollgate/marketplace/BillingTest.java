package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Statements, CSV, budgets and the dependency graph from a real chain (indexed) and usage rows as the gateway
 * writes them. Each test makes its own consumer and provider (fresh keys), so the figures are exact.
 */
class BillingTest extends BillingTestBase {
    @Test
    void consumerAndProviderStatementsAreExactToTheWei() throws Exception {
        Party consumer = fresh();
        Party provider = provider("billing-exact");
        BigInteger deposit = new BigInteger("50000000000000000");
        var channel = channel(consumer, provider, new Wei(deposit));
        channel.depositEther(Wei.of(7));
        Instant now = Instant.now();
        usage(channel.address(), now.minusSeconds(120), 1, 0, 1200, price(0, 1200));
        usage(channel.address(), now.minusSeconds(60), 1, 1, 345, price(1, 345));
        BigInteger huge = BigInteger.TWO.pow(200);

        var asOperator = new ChannelClient(
                chain.web3j(), channel.address(), chain.transactionManager(4), BigInteger.TEN.pow(12));
        asOperator.startRedemption(PRICES);
        usage(channel.address(), now, 2, 0, 3, huge); // epoch 2: accepted, not redeemed yet
        chain.increaseTime(Duration.ofSeconds(61));
        asOperator.finishRedemption(1, List.of(voucher(channel, 1, 0, 1200), voucher(channel, 1, 1, 345)));
        asOperator.withdraw();
        catchUp(indexer(0));

        BigInteger redeemed = price(0, 1200).add(price(1, 345));
        var mine = statement("&granularity=hour", signInAs(consumer.key()));
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        String body = mine.body();
        assertThat(inEther(body, "chain.deposited.units"))
                .isEqualTo(deposit.add(BigInteger.valueOf(7)).toString());
        assertThat(inEther(body, "chain.redeemed.units")).isEqualTo(redeemed.toString());
        assertThat(inEther(body, "usage.units")).isEqualTo(redeemed.add(huge).toString());
        assertThat(JsonPath.<Integer>read(body, "$.requests")).isEqualTo(1200 + 345 + 3);
        assertThat(inEther(body, "pendingExposure.units")).isEqualTo(huge.toString());
        assertThat(JsonPath.<List<String>>read(body, "$.byCategory[*].value.units"))
                .containsExactly(
                        price(0, 1200).add(huge).toString(), price(1, 345).toString());
        assertThat(JsonPath.<List<String>>read(body, "$.byCategory[*].name")).containsExactly("current", "forecast");
        assertThat(JsonPath.<List<String>>read(body, "$.series[*].value.units").stream()
                        .map(BigInteger::new)
                        .reduce(BigInteger.ZERO, BigInteger::add))
                .as("the hourly series sums to the total")
                .isEqualTo(redeemed.add(huge));
        assertThat(JsonPath.<List<String>>read(body, "$.channels[*].channel")).containsExactly(channel.address());
        assertThat(JsonPath.<List<String>>read(body, "$.channels[*].counterparty"))
                .containsExactly(provider.address());

        var theirs = statement("&role=provider", signInAs(provider.key()));
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);
        assertThat(inEther(theirs.body(), "chain.redeemed.units")).isEqualTo(redeemed.toString());
        assertThat(inEther(theirs.body(), "chain.withdrawn.units")).isEqualTo(redeemed.toString());
        assertThat(inEther(theirs.body(), "pendingExposure.units")).isEqualTo(huge.toString());
        assertThat(JsonPath.<List<String>>read(theirs.body(), "$.channels[*].counterparty"))
                .containsExactly(consumer.address());

        assertThat(JsonPath.<List<String>>read(theirs.body(), "$.channels[*].withdrawn.units"))
                .containsExactly(redeemed.toString());
        var events = send("GET", "/api/billing/events?role=provider", "", signInAs(provider.key()));
        assertThat(JsonPath.<List<String>>read(events.body(), "$[*].name"))
                .startsWith("Withdrawn", "Redeemed")
                .contains("RedemptionStarted", "Deposited");
        assertThat(JsonPath.<List<String>>read(events.body(), "$[?(@.name == 'Redeemed')].amount.units"))
                .containsExactly(redeemed.toString());

        var csv = statement("&format=csv", signInAs(consumer.key()));
        assertThat(csv.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).contains("attachment"));
        assertThat(csv.body().split("\r\n"))
                .contains(
                        "section,listing,category,name,start,requests,value_wei,token,token_address,value",
                        "chain,,,deposited,,," + inEtherColumns(deposit.add(BigInteger.valueOf(7))),
                        "category,weather,1,forecast,,345," + inEtherColumns(price(1, 345)),
                        "exposure,,,pending,,," + inEtherColumns(huge));
    }

    @Test
    void aConsumerWithAnEtherAndADollarChannelHasTwoTotalsEachExactToTheSmallestUnit() throws Exception {
        Party consumer = fresh();
        Party provider = provider("billing-dollars");
        dollarListing("billing-dollar-api", "billing-dollars");
        BigInteger etherDeposit = new BigInteger("30000000000000000");
        var ether = channel(consumer, provider, new Wei(etherDeposit));
        BigInteger dollarDeposit = BigInteger.valueOf(5_000_001); // 5.000001 USDT-demo
        var dollars = dollarChannel(consumer, provider, dollarDeposit);
        Instant now = Instant.now();
        // 3 calls at 1000 base units of the 6-decimal token, 2 ether calls beside them
        usage("billing-dollar-api", dollars.address(), now, 1, 0, 3, BigInteger.valueOf(3_000));
        usage(ether.address(), now, 1, 0, 2, price(0, 2));
        catchUp(indexer(0));

        var mine = statement("&granularity=hour", signInAs(consumer.key()));
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        String body = mine.body();
        assertThat(JsonPath.<List<String>>read(body, "$.totals[*].token.symbol"))
                .containsExactly("ETH", "USDT-demo");
        assertThat(JsonPath.<List<Integer>>read(body, "$.totals[*].token.decimals"))
                .containsExactly(18, 6);
        assertThat(JsonPath.<List<String>>read(body, "$.totals[*].token.address"))
                .containsExactly("0x0000000000000000000000000000000000000000", usd());
        assertThat(JsonPath.<Map<String, Object>>read(body, "$.totals[1].token"))
                .as("the token as the API writes it")
                .containsOnlyKeys("address", "symbol", "decimals");
        assertThat(JsonPath.<Map<String, Object>>read(body, "$.totals[1].usage"))
                .as("an amount as the API writes it")
                .containsOnlyKeys("units", "amount", "display");
        assertThat(JsonPath.<Map<String, Object>>read(body, "$.totals[1].chain"))
                .containsOnlyKeys("deposited", "redeemed", "withdrawn", "penalties", "refunded", "collateral");
        assertThat(in(usd(), body, "usage.units")).isEqualTo("3000");
        assertThat(in(usd(), body, "usage.amount")).isEqualTo("0.003");
        assertThat(in(usd(), body, "usage.display")).isEqualTo("0.003 USDT-demo");
        assertThat(JsonPath.<List<Integer>>read(body, "$.totals[?(@.token.symbol == 'USDT-demo')].requests"))
                .containsExactly(3);
        assertThat(in(usd(), body, "chain.deposited.units")).isEqualTo("5000001");
        assertThat(in(usd(), body, "chain.deposited.display")).isEqualTo("5.000001 USDT-demo");
        assertThat(in(usd(), body, "pendingExposure.units")).isEqualTo("3000");
        assertThat(inEther(body, "usage.units")).isEqualTo(price(0, 2).toString());
        assertThat(inEther(body, "chain.deposited.units")).isEqualTo(etherDeposit.toString());
        assertThat(inEther(body, "chain.deposited.display")).isEqualTo("0.03 ETH");
        assertThat(inEther(body, "pendingExposure.units")).isEqualTo(price(0, 2).toString());
        assertThat(JsonPath.<Integer>read(body, "$.requests"))
                .as("requests are counted across tokens")
                .isEqualTo(5);
        assertThat(JsonPath.<List<String>>read(
                        body, "$.byCategory[?(@.listing == 'billing-dollar-api')].value.display"))
                .containsExactly("0.003 USDT-demo");
        assertThat(JsonPath.<List<String>>read(body, "$.byCategory[?(@.listing == 'weather')].token.symbol"))
                .containsExactly("ETH");
        assertThat(JsonPath.<List<String>>read(body, "$.series[*].token.symbol"))
                .as("one point per token in the hour")
                .containsExactlyInAnyOrder("ETH", "USDT-demo");
        assertThat(JsonPath.<List<String>>read(body, "$.series[?(@.token.symbol == 'USDT-demo')].value.units"))
                .containsExactly("3000");
        assertThat(JsonPath.<List<String>>read(
                        body, "$.channels[?(@.channel == '" + dollars.address() + "')].token.address"))
                .containsExactly(usd());
        assertThat(JsonPath.<List<String>>read(
                        body, "$.channels[?(@.channel == '" + ether.address() + "')].token.symbol"))
                .containsExactly("ETH");

        var theirs = statement("&role=provider", signInAs(provider.key()));
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);
        assertThat(in(usd(), theirs.body(), "usage.display")).isEqualTo("0.003 USDT-demo");
        assertThat(in(usd(), theirs.body(), "pendingExposure.units")).isEqualTo("3000");
        assertThat(inEther(theirs.body(), "usage.units")).isEqualTo(price(0, 2).toString());

        var events = send("GET", "/api/billing/events", "", signInAs(consumer.key()));
        assertThat(JsonPath.<List<String>>read(
                        events.body(),
                        "$[?(@.name == 'Deposited' && @.channel == '" + dollars.address() + "')].amount.display"))
                .containsExactly("5.000001 USDT-demo");

        String dollarColumns = ",USDT-demo," + usd() + ",0.003";
        var csv = statement("&format=csv", signInAs(consumer.key()));
        assertThat(csv.body().split("\r\n"))
                .contains(
                        "usage,,,total,,3,3000" + dollarColumns,
                        "category,billing-dollar-api,0,call,,3,3000" + dollarColumns,
                        "exposure,,,pending,,,3000" + dollarColumns,
                        "chain,,,deposited,,,5000001,USDT-demo," + usd() + ",5.000001",
                        "usage,,,total,,2," + inEtherColumns(price(0, 2)),
                        "chain,,,deposited,,," + inEtherColumns(etherDeposit));
        var graph = send("GET", "/api/graph", "", signInAs(MARKET_OPERATOR));
        String edges = "$.edges[?(@.from == '" + consumer.address() + "')]";
        assertThat(JsonPath.<List<String>>read(graph.body(), edges + ".token.symbol"))
                .as("one edge per token")
                .containsExactly("ETH", "USDT-demo");
        assertThat(JsonPath.<List<String>>read(graph.body(), edges + ".value.units"))
                .containsExactly(price(0, 2).toString(), "3000");

        assertThat(csv.body())
                .as("no line adds two tokens")
                .doesNotContain(price(0, 2).add(BigInteger.valueOf(3000)).toString());
    }

    @Test
    void anEtherBudgetIgnoresDollarSpendADollarBudgetAlertsInDollars() throws Exception {
        Party consumer = fresh();
        Party provider = provider("billing-dollar-budget");
        dollarListing("billing-dollar-budget-api", "billing-dollar-budget");
        var ether = channel(consumer, provider, Wei.of(1_000_000_000_000_000L));
        var dollars = dollarChannel(consumer, provider, BigInteger.valueOf(1_000_000));
        usage("billing-dollar-budget-api", dollars.address(), Instant.now(), 1, 0, 3, BigInteger.valueOf(3_000));
        usage(ether.address(), Instant.now(), 1, 0, 2, price(0, 2));
        catchUp(indexer(0));
        String token = signInAs(consumer.key());

        // the ether budget is exactly the ether spend: over it only if the dollars were added in
        var etherBudget =
                send("PUT", "/api/billing/budget", "{\"period\":\"DAY\",\"units\":\"" + price(0, 2) + "\"}", token);
        assertThat(etherBudget.statusCode()).as(etherBudget.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(etherBudget.body(), "$.token.symbol")).isEqualTo("ETH");
        var dollarBudget = send(
                "PUT",
                "/api/billing/budget",
                "{\"period\":\"MONTH\",\"token\":\"" + usd() + "\",\"amount\":\"0.002\"}",
                token);
        assertThat(dollarBudget.statusCode()).as(dollarBudget.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(dollarBudget.body(), "$.amount.units")).isEqualTo("2000");
        assertThat(JsonPath.<String>read(dollarBudget.body(), "$.token.symbol")).isEqualTo("USDT-demo");

        var alerts = send("GET", "/api/billing/alerts", "", token);
        assertThat(alerts.statusCode()).as(alerts.body()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].token.symbol"))
                .containsExactly("USDT-demo");
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].spent.display"))
                .containsExactly("0.003 USDT-demo");
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].budget.units"))
                .containsExactly("2000");
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].period")).containsExactly("MONTH");

        var budgets = send("GET", "/api/billing/budgets", "", token);
        assertThat(JsonPath.<List<String>>read(budgets.body(), "$[*].token.symbol"))
                .containsExactly("ETH", "USDT-demo");
        var one = send("GET", "/api/billing/budget?token=" + usd(), "", token);
        assertThat(JsonPath.<String>read(one.body(), "$.amount.display")).isEqualTo("0.002 USDT-demo");
        assertThat(JsonPath.<String>read(
                        send("GET", "/api/billing/budget", "", token).body(), "$.amount.units"))
                .as("no token: ether")
                .isEqualTo(price(0, 2).toString());

        // a whole-unit amount with more decimals than the token has is refused, saying so
        var tooFine = send(
                "PUT",
                "/api/billing/budget",
                "{\"period\":\"DAY\",\"token\":\"" + usd() + "\",\"amount\":\"0.0000001\"}",
                token);
        assertThat(tooFine.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(tooFine.body(), "$.detail")).contains("6 decimal places");
    }

    @Test
    void aPeriodThatCutsHoursCountsExactlyTheMinutesInsideIt() throws Exception {
        Party consumer = fresh();
        var channel = channel(consumer, provider("billing-edges"), Wei.of(1_000));
        catchUp(indexer(0));
        for (String minute : List.of("10:05", "10:59", "11:00", "12:30", "13:10")) {
            usage(channel.address(), Instant.parse("2026-03-03T" + minute + ":00Z"), 1, 0, 1, BigInteger.ONE);
        }
        // a second gateway adds to the 12:30 row: the upsert's update reaches the hourly sums too
        jdbc.update("""
                insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei)
                values ('2026-03-03T12:30:00Z', 'weather', ?, 1, 0, 2, 20)
                on conflict (channel, minute, listing_id, epoch, category) do update set
                  requests = gateway_usage_minute.requests + excluded.requests,
                  value_wei = gateway_usage_minute.value_wei + excluded.value_wei""", channel.address());

        var statement = send(
                "GET",
                "/api/billing/statement?from=2026-03-03T10:30:00Z&to=2026-03-03T13:00:00Z&granularity=hour",
                "",
                signInAs(consumer.key()));
        assertThat(statement.statusCode()).as(statement.body()).isEqualTo(200);
        // 10:59 (1) + 11:00 (1) + 12:30 (1 + 20); not 10:05, not 13:10
        assertThat(inEther(statement.body(), "usage.units")).isEqualTo("23");
        assertThat(JsonPath.<Integer>read(statement.body(), "$.requests")).isEqualTo(5);
        assertThat(JsonPath.<List<String>>read(statement.body(), "$.series[*].start"))
                .containsExactly("2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z", "2026-03-03T12:00:00Z");
        assertThat(JsonPath.<List<String>>read(statement.body(), "$.series[*].value.units"))
                .containsExactly("1", "1", "21");
    }

    @Test
    void aConsumerReadsOnlyItsOwnStatementAnOperatorReadsAny() throws Exception {
        Party consumer = fresh();
        Party stranger = fresh();
        Party provider = provider("billing-owner");
        channel(consumer, provider, Wei.of(4_242));
        catchUp(indexer(0));

        var refused = statement("&address=" + consumer.address(), signInAs(stranger.key()));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains("your own statements");

        var notAProvider = statement("&role=provider", signInAs(stranger.key()));
        assertThat(notAProvider.statusCode()).isEqualTo(403);
        assertThat(JsonPath.<String>read(notAProvider.body(), "$.detail")).contains("not a provider");

        var operator = statement("&address=" + consumer.address(), signInAs(MARKET_OPERATOR));
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(inEther(operator.body(), "chain.deposited.units")).isEqualTo("4242");

        assertThat(get("/api/billing/statement").statusCode()).as("signed out").isEqualTo(401);
    }

    @Test
    void badStatementAndBudgetRequestsGetProblemsSayingWhatIsAllowed() throws Exception {
        String token = signInAs(fresh().key());
        Map<String, String> cases = Map.of(
                "/api/billing/statement?role=admin", "role must be one of [consumer, provider]",
                "/api/billing/statement?from=yesterday", "ISO-8601",
                "/api/billing/statement?from=2026-02-01&to=2026-01-01", "must be before",
                "/api/billing/statement?address=0x12", "0x and 40 hex digits",
                "/api/billing/statement?from=2024-01-01&to=2026-01-01", "at most 366 days",
                "/api/billing/statement?from=2026-01-01&to=2026-03-01&granularity=hour", "31 days by hour",
                "/api/billing/statement?granularity=week", "granularity must be one of [hour, day]");
        for (var c : cases.entrySet()) {
            var response = send("GET", c.getKey(), "", token);
            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(JsonPath.<String>read(response.body(), "$.detail"))
                    .as(c.getKey())
                    .contains(c.getValue());
            assertThat(JsonPath.<String>read(response.body(), "$.type")).endsWith("/invalid-request");
        }
        String tooMuch = BigInteger.TWO.pow(256).toString();
        for (String body : List.of(
                "{\"period\":\"DAY\",\"units\":\"-5\"}",
                "{\"period\":\"DAY\",\"units\":\"" + tooMuch + "\"}",
                "{\"period\":\"DAY\",\"units\":\"1.5\"}",
                "{\"period\":\"WEEK\",\"units\":\"5\"}",
                "{\"period\":\"DAY\"}",
                "{\"period\":\"DAY\",\"amount\":\"1\",\"units\":\"5\"}",
                "{\"period\":\"DAY\",\"amount\":\"0.0000000000000000001\"}",
                "{\"period\":\"DAY\",\"amount\":\"1e3\"}",
                "{\"period\":\"DAY\",\"token\":\"NOT-LISTED\",\"amount\":\"1\"}")) {
            var response = send("PUT", "/api/billing/budget", body, token);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(send("GET", "/api/billing/budget", "", token).statusCode()).isEqualTo(404);
    }

    @Test
    void anAlertIsRaisedOnceWhenSpendPassesTheBudget() throws Exception {
        Party spender = fresh();
        Party careful = fresh();
        Party provider = provider("billing-budget");
        var spent = channel(spender, provider, Wei.of(1_000_000));
        var barely = channel(careful, provider, Wei.of(1_000_000));
        usage(spent.address(), Instant.now(), 1, 0, 10, BigInteger.valueOf(10_000));
        usage(barely.address(), Instant.now(), 1, 0, 1, BigInteger.valueOf(100));
        catchUp(indexer(0)); // a channel counts once the indexer has seen it created
        String spenderToken = signInAs(spender.key());
        String carefulToken = signInAs(careful.key());

        var set = send("PUT", "/api/billing/budget", "{\"period\":\"DAY\",\"units\":\"9999\"}", spenderToken);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        send("PUT", "/api/billing/budget", "{\"period\":\"MONTH\",\"units\":\"100\"}", carefulToken);

        var alerts = send("GET", "/api/billing/alerts", "", spenderToken);
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].spent.units"))
                .containsExactly("10000");
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].budget.units"))
                .containsExactly("9999");
        assertThat(JsonPath.<List<Object>>read(
                        send("GET", "/api/billing/alerts", "", spenderToken).body(), "$"))
                .as("the same period's alert is raised once")
                .hasSize(1);
        assertThat(JsonPath.<List<Object>>read(
                        send("GET", "/api/billing/alerts", "", carefulToken).body(), "$"))
                .as("spend equal to the budget is not over it")
                .isEmpty();
    }

    @Test
    void theGraphShowsWhoPaysWhomAndWhoseTrafficCausedAProvidersOwnCalls() throws Exception {
        Party consumer = fresh();
        Party middle = provider("billing-middle");
        Party upstream = provider("billing-upstream");
        var first = channel(consumer, middle, Wei.of(1_000_000));
        var second = channel(middle, upstream, Wei.of(1_000_000)); // the middle provider pays for its own calls
        catchUp(indexer(0));
        usage(first.address(), Instant.now(), 1, 0, 4, BigInteger.valueOf(40));
        usage(second.address(), Instant.now(), 1, 1, 2, BigInteger.valueOf(6));
        jdbc.update(
                "insert into gateway_origin_minute (minute, channel, origin, requests, value_wei) values (?, ?, ?, 2, 6)",
                Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MINUTES)),
                second.address(),
                first.address());

        var graph = send("GET", "/api/graph", "", signInAs(MARKET_OPERATOR));
        assertThat(graph.statusCode()).as(graph.body()).isEqualTo(200);
        String body = graph.body();
        assertThat(JsonPath.<List<String>>read(body, "$.edges[?(@.from == '" + consumer.address() + "')].value.units"))
                .containsExactly("40");
        assertThat(JsonPath.<List<String>>read(body, "$.edges[?(@.from == '" + middle.address() + "')].to"))
                .containsExactly(upstream.address());
        assertThat(JsonPath.<List<String>>read(body, "$.attributed[?(@.origin == '" + consumer.address() + "')].to"))
                .containsExactly(upstream.address());
        assertThat(JsonPath.<List<String>>read(body, "$.attributed[?(@.origin == '" + consumer.address() + "')].via"))
                .containsExactly(middle.address());
        assertThat(JsonPath.<List<List<String>>>read(body, "$.nodes[?(@.address == '" + middle.address() + "')].kinds"))
                .containsExactly(List.of("consumer", "provider"));
        assertThat(JsonPath.<List<String>>read(body, "$.nodes[?(@.address == '" + upstream.address() + "')].label"))
                .containsExactly("billing-upstream");
    }
}
