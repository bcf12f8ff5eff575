package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SignedVoucher;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.pricing.Wei;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Statements, CSV, budgets and the dependency graph from a real chain (indexed) and usage rows as the gateway
 * writes them. Each test makes its own consumer and provider (fresh keys), so the figures are exact.
 */
class BillingTest extends ChainTestBase {
    static final BigInteger ETHER = BigInteger.TEN.pow(18);

    record Party(Credentials key, String address, TransactionManager transactions) {}

    Party fresh() throws Exception {
        var key = Credentials.create(Keys.createEcKeyPair());
        chain.setBalance(key.getAddress(), ETHER.multiply(BigInteger.TEN));
        return new Party(
                key,
                key.getAddress().toLowerCase(Locale.ROOT),
                new RawTransactionManager(
                        chain.web3j(),
                        key,
                        AnvilNode.CHAIN_ID,
                        new PollingTransactionReceiptProcessor(chain.web3j(), 50, 600)));
    }

    Party provider(String slug) throws Exception {
        Party p = fresh();
        var registered = send(
                "POST", "/api/providers", "{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\"}", signInAs(p.key()));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return p;
    }

    ChannelClient channel(Party consumer, Party provider, Wei deposit) {
        var terms = new ChannelTerms(
                consumer.address(),
                SIGNER.getAddress(),
                provider.address(),
                CHANNEL_OPERATOR.getAddress(),
                Optional.empty(),
                PRICES,
                Duration.ofSeconds(60),
                Duration.ofSeconds(600));
        return FactoryClient.create(chain.web3j(), consumer.transactions(), deployment.factory(), terms, deposit);
    }

    /** A usage row exactly as the gateway's batching writer upserts it. */
    void usage(String channel, Instant minute, long epoch, int category, long requests, BigInteger value) {
        jdbc.update(
                """
                insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei, status_2xx)
                values (?, 'weather', ?, ?, ?, ?, ?, ?)""",
                Timestamp.from(minute.truncatedTo(ChronoUnit.MINUTES)),
                channel,
                epoch,
                category,
                requests,
                new BigDecimal(value),
                requests);
    }

    SignedVoucher voucher(ChannelClient channel, long epoch, int category, long count) {
        byte[] digest = VoucherSignatures.voucherDigest(
                AnvilNode.CHAIN_ID, channel.address(), epoch, category, count, PRICES.hash());
        return new SignedVoucher(category, count, count, VoucherSignatures.sign(digest, SIGNER.getEcKeyPair()));
    }

    HttpResponse<String> statement(String query, String token) throws Exception {
        Instant now = Instant.now();
        return send(
                "GET",
                "/api/billing/statement?from=" + now.minus(Duration.ofDays(1)) + "&to=" + now.plus(Duration.ofHours(1))
                        + query,
                "",
                token);
    }

    static BigInteger price(int category, long count) {
        return PRICES.cost(category, count).value();
    }

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
        assertThat(JsonPath.<String>read(body, "$.chain.depositedWei"))
                .isEqualTo(deposit.add(BigInteger.valueOf(7)).toString());
        assertThat(JsonPath.<String>read(body, "$.chain.redeemedWei")).isEqualTo(redeemed.toString());
        assertThat(JsonPath.<String>read(body, "$.usageWei"))
                .isEqualTo(redeemed.add(huge).toString());
        assertThat(JsonPath.<Integer>read(body, "$.requests")).isEqualTo(1200 + 345 + 3);
        assertThat(JsonPath.<String>read(body, "$.pendingExposureWei")).isEqualTo(huge.toString());
        assertThat(JsonPath.<List<String>>read(body, "$.byCategory[*].valueWei"))
                .containsExactly(
                        price(0, 1200).add(huge).toString(), price(1, 345).toString());
        assertThat(JsonPath.<List<String>>read(body, "$.byCategory[*].name")).containsExactly("current", "forecast");
        assertThat(JsonPath.<List<String>>read(body, "$.series[*].valueWei").stream()
                        .map(BigInteger::new)
                        .reduce(BigInteger.ZERO, BigInteger::add))
                .as("the hourly series sums to the total")
                .isEqualTo(redeemed.add(huge));
        assertThat(JsonPath.<List<String>>read(body, "$.channels[*].channel")).containsExactly(channel.address());
        assertThat(JsonPath.<List<String>>read(body, "$.channels[*].counterparty"))
                .containsExactly(provider.address());

        var theirs = statement("&role=provider", signInAs(provider.key()));
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(theirs.body(), "$.chain.redeemedWei")).isEqualTo(redeemed.toString());
        assertThat(JsonPath.<String>read(theirs.body(), "$.chain.withdrawnWei")).isEqualTo(redeemed.toString());
        assertThat(JsonPath.<String>read(theirs.body(), "$.pendingExposureWei")).isEqualTo(huge.toString());
        assertThat(JsonPath.<List<String>>read(theirs.body(), "$.channels[*].counterparty"))
                .containsExactly(consumer.address());

        assertThat(JsonPath.<List<String>>read(theirs.body(), "$.channels[*].withdrawnWei"))
                .containsExactly(redeemed.toString());
        var events = send("GET", "/api/billing/events?role=provider", "", signInAs(provider.key()));
        assertThat(JsonPath.<List<String>>read(events.body(), "$[*].name"))
                .startsWith("Withdrawn", "Redeemed")
                .contains("RedemptionStarted", "Deposited");
        assertThat(JsonPath.<List<String>>read(events.body(), "$[?(@.name == 'Redeemed')].amountWei"))
                .containsExactly(redeemed.toString());

        var csv = statement("&format=csv", signInAs(consumer.key()));
        assertThat(csv.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).contains("attachment"));
        assertThat(csv.body().split("\r\n"))
                .contains(
                        "section,listing,category,name,start,requests,value_wei",
                        "chain,,,depositedWei,,," + deposit.add(BigInteger.valueOf(7)),
                        "category,weather,1,forecast,,345," + price(1, 345),
                        "exposure,,,pending,,," + huge);
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
        assertThat(JsonPath.<String>read(statement.body(), "$.usageWei")).isEqualTo("23");
        assertThat(JsonPath.<Integer>read(statement.body(), "$.requests")).isEqualTo(5);
        assertThat(JsonPath.<List<String>>read(statement.body(), "$.series[*].start"))
                .containsExactly("2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z", "2026-03-03T12:00:00Z");
        assertThat(JsonPath.<List<String>>read(statement.body(), "$.series[*].valueWei"))
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
        assertThat(JsonPath.<String>read(operator.body(), "$.chain.depositedWei"))
                .isEqualTo("4242");

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
                "{\"period\":\"DAY\",\"amountWei\":\"-5\"}",
                "{\"period\":\"DAY\",\"amountWei\":\"" + tooMuch + "\"}",
                "{\"period\":\"DAY\",\"amountWei\":\"1.5\"}",
                "{\"period\":\"WEEK\",\"amountWei\":\"5\"}",
                "{\"period\":\"DAY\"}")) {
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

        var set = send("PUT", "/api/billing/budget", "{\"period\":\"DAY\",\"amountWei\":\"9999\"}", spenderToken);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        send("PUT", "/api/billing/budget", "{\"period\":\"MONTH\",\"amountWei\":\"100\"}", carefulToken);

        var alerts = send("GET", "/api/billing/alerts", "", spenderToken);
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].spentWei")).containsExactly("10000");
        assertThat(JsonPath.<List<String>>read(alerts.body(), "$[*].budgetWei")).containsExactly("9999");
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
        assertThat(JsonPath.<List<String>>read(body, "$.edges[?(@.from == '" + consumer.address() + "')].valueWei"))
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
