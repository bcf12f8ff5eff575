package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.web3j.crypto.ContractUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Admission attacks against the running gateway on a real EVM: the attacker creates a channel through the trusted
 * factory on anvil with parameters of their own choosing (prices, token, channel times, listing), naming the
 * provider's public payout and operator, and sends signed vouchers. The marketplace is a local HTTP server
 * answering {@code /api/gateway/routes} and {@code /api/gateway/channels/{address}} in the shape of CONTRACT.md,
 * only with the gateway credential; a channel is "registered" when the test puts its agreed terms there, as the
 * marketplace does once it verified the subscription on chain.
 *
 * <p>Listings: {@code weather} and {@code weather-pro} from the marketplace (same provider and operator, pro
 * dearer), and {@code local} configured in YAML with floors equal to its list prices.
 */
class AdmissionAttackTest {
    static final String CREDENTIAL = "gateway-credential-for-admission-tests-0123456789";
    static final PriceTable WEATHER = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final PriceTable PRO = PriceTable.of(5_000_000_000_000L, 9_000_000_000_000L);
    static final Duration T_R = Duration.ofSeconds(10);
    static final Duration T_C = Duration.ofSeconds(60);
    static final Wei DEPOSIT = Wei.parse("100000000000000000"); // 0.1 ether

    static AnvilNode chain;
    static ExampleUpstream upstream;
    static Deployments.Deployment deployment;
    static HttpServer marketplace;
    static ConfigurableApplicationContext gateway;
    static String gatewayUrl;
    static final HttpClient http = HttpClient.newHttpClient();
    /** Channels the marketplace verified, with their agreed terms as JSON. */
    static final Map<String, String> registered = new ConcurrentHashMap<>();

    static final AtomicBoolean marketplaceDown = new AtomicBoolean();
    static final AtomicLong unauthorized = new AtomicLong();
    static final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        chain = AnvilNode.start();
        upstream = ExampleUpstream.start(0);
        // fresh addresses each run: the shared test database remembers channels of earlier runs
        deployment = OnChainFixtures.freshDeployment(chain);
        String codeHash = ChannelCode.codeHash(chain.web3j(), deployment.implementation());
        marketplace = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        marketplace.createContext("/api/gateway/routes", exchange -> {
            if (refused(exchange)) {
                return;
            }
            answer(exchange, 200, routes());
        });
        marketplace.createContext("/api/gateway/channels/", exchange -> {
            if (refused(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String address = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            String terms = registered.get(address);
            if (terms == null) {
                answer(exchange, 404, "{\"type\":\"https://tollgate.dev/problems/channel-not-subscribed\"}");
            } else {
                answer(exchange, 200, terms);
            }
        });
        marketplace.start();
        TestDatabase.migrated();
        gateway = new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class)
                .run(GatewayArguments.of(
                        "--server.port=0",
                        GatewayArguments.chain(chain.rpcUrl(), deployment.factory(), codeHash),
                        "--tollgate.chain.no-contract-retry=1s",
                        GatewayArguments.usageDatabase(),
                        "--tollgate.gateway.marketplace.url=http://127.0.0.1:"
                                + marketplace.getAddress().getPort(),
                        "--tollgate.gateway.marketplace.credential=" + CREDENTIAL,
                        "--tollgate.gateway.marketplace.poll-interval=200ms",
                        "--tollgate.gateway.marketplace.not-subscribed-retry=1s",
                        "--tollgate.gateway.listings.local.provider=" + payout(),
                        "--tollgate.gateway.listings.local.factory=" + deployment.factory(),
                        "--tollgate.gateway.listings.local.operator=" + operator(),
                        "--tollgate.gateway.listings.local.subscribe-url=http://provider.test/subscribe",
                        "--tollgate.gateway.listings.local.prices=" + String.join(",", WEATHER.decimals()),
                        "--tollgate.gateway.listings.local.minimum-prices=" + String.join(",", WEATHER.decimals()),
                        GatewayArguments.paidRoute(0, "local", upstream.baseUrl(), "/local/**", "local, 0"),
                        "--tollgate.gateway.ledger.key-prefix=tollgate-admission-" + System.nanoTime()));
        gatewayUrl = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port");
        // both marketplace listings are routed
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("/weather/weather/berlin", null).statusCode()).isEqualTo(402);
            assertThat(get("/weather-pro/weather/berlin", null).statusCode()).isEqualTo(402);
        });
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (marketplace != null) {
            marketplace.stop(0);
        }
        upstream.close();
        chain.close();
    }

    // ------------------------------------------------------------------------------------------ the attacks

    @Test
    void aPriceZeroChannelIsNotServed() throws Exception {
        var free = create(PriceTable.of(0, 0), Optional.empty(), T_R, T_C, Wei.ZERO);
        // never registered: the marketplace would not verify it against the listing's offer
        assertProblem(pay(free, "/weather/weather/berlin", 0), 402, "channel-not-subscribed");
        // on the configured listing its floors refuse it
        assertProblem(pay(free, "/local/weather/berlin", 0), 403, "price-below-agreement");
        // even a marketplace that confirmed it (with the listing's prices as the agreed floor) does not get it served
        register(free, "weather", WEATHER);
        awaitProblem(free, "/weather/weather/berlin", 403, "price-below-agreement");
    }

    @Test
    void aChannelOneWeiBelowTheAgreedFloorInOneCategoryIsNotServed() throws Exception {
        // category 0 (the route's) at the floor, category 1 one wei short
        var cheap = create(PriceTable.of(1_000_000_000_000L, 2_499_999_999_999L), Optional.empty(), T_R, T_C, DEPOSIT);
        assertProblem(pay(cheap, "/local/weather/berlin", 0), 403, "price-below-agreement");
        register(cheap, "weather", WEATHER);
        assertProblem(pay(cheap, "/weather/weather/berlin", 0), 403, "price-below-agreement");
    }

    @Test
    void aChannelFundedInTheAttackersOwnTokenIsNotServed() throws Exception {
        var token = DemoToken.deploy(chain.web3j(), chain.transactionManager(1), new DefaultGasProvider())
                .send();
        BigInteger minted = BigInteger.TEN.pow(24);
        token.faucet(minted).send();
        var channel = create(WEATHER, Optional.of(token.getContractAddress()), T_R, T_C, Wei.ZERO);
        channel.client().depositToken(token.getContractAddress(), new Wei(minted));
        assertProblem(pay(channel, "/local/weather/berlin", 0), 403, "token-not-accepted");
        assertProblem(pay(channel, "/weather/weather/berlin", 0), 402, "channel-not-subscribed");
        // a marketplace that confirmed it in ether: the chain says otherwise
        register(channel, "weather", WEATHER);
        awaitProblem(channel, "/weather/weather/berlin", 403, "token-not-accepted");
    }

    @Test
    void aChannelOfTheCheapListingDoesNotPayTheDearListingOfTheSameProvider() throws Exception {
        var channel = create(WEATHER, Optional.empty(), T_R, T_C, DEPOSIT);
        register(channel, "weather", WEATHER);
        assertServed(pay(channel, "/weather/weather/berlin", 0));
        assertProblem(pay(channel, "/weather-pro/weather/berlin", 0), 403, "channel-wrong-listing");
    }

    @Test
    void aChannelWithARedeemWindowOfOneSecondAndACloseDelayOfThreeIsRefused() throws Exception {
        var channel = create(WEATHER, Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(3), DEPOSIT);
        assertProblem(pay(channel, "/local/weather/berlin", 0), 403, "channel-times-unsafe");
        // a marketplace that agreed to these times does not make them safe
        registered.put(
                channel.address(),
                terms(channel, "weather", WEATHER, Duration.ofSeconds(1), Duration.ofSeconds(3), ether()));
        assertProblem(pay(channel, "/weather/weather/berlin", 0), 403, "channel-times-unsafe");
    }

    @Test
    void aChannelNeverRegisteredGetsAPaymentRequiredThatSaysWhereToSubscribe() throws Exception {
        var channel = create(WEATHER, Optional.empty(), T_R, T_C, DEPOSIT);
        var response = pay(channel, "/weather/weather/berlin", 0);
        assertProblem(response, 402, "channel-not-subscribed");
        assertThat(response.body())
                .contains("http://marketplace.test/#/listings/weather")
                .contains("\"listing\":\"weather\"")
                .contains("\"redeemWindowSeconds\":10", "\"closeDelaySeconds\":60");
    }

    @Test
    void aGuessedAddressIsRefusedThenServedOnceTheChannelIsCreatedAndRegistered() throws Exception {
        BigInteger nonce = chain.web3j()
                .ethGetTransactionCount(deployment.factory(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
        String guessed = ContractUtils.generateContractAddress(deployment.factory(), nonce)
                .toLowerCase(Locale.ROOT);
        assertProblem(send(guessed, WEATHER, "/weather/weather/berlin", 0), 403, "channel-unknown");

        var channel = create(WEATHER, Optional.empty(), T_R, T_C, DEPOSIT);
        assertThat(channel.address()).isEqualTo(guessed);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertProblem(pay(channel, "/weather/weather/berlin", 0), 402, "channel-not-subscribed"));
        register(channel, "weather", WEATHER);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertServed(pay(channel, "/weather/weather/berlin", 0)));
    }

    @Test
    void whileTheMarketplaceIsDownAKnownChannelIsServedAndAnUnknownOneGets503() throws Exception {
        var known = create(WEATHER, Optional.empty(), T_R, T_C, DEPOSIT);
        register(known, "weather", WEATHER);
        assertServed(pay(known, "/weather/weather/berlin", 0));
        var unknown = create(WEATHER, Optional.empty(), T_R, T_C, DEPOSIT);
        register(unknown, "weather", WEATHER); // registered, but the gateway cannot ask
        marketplaceDown.set(true);
        try {
            assertServed(pay(known, "/weather/weather/berlin", 0));
            assertProblem(pay(unknown, "/weather/weather/berlin", 0), 503, "payment-unavailable");
            assertServed(pay(known, "/weather/weather/berlin", 0));
        } finally {
            marketplaceDown.set(false);
        }
        assertServed(pay(unknown, "/weather/weather/berlin", 0));
        assertThat(unauthorized)
                .as("every marketplace call carried the gateway credential")
                .hasValue(0);
    }

    @Test
    void anHonestChannelPaysEveryListingItIsAgreedFor() throws Exception {
        var local = create(WEATHER, Optional.empty(), T_R, T_C, DEPOSIT);
        assertServed(pay(local, "/local/weather/berlin", 0));
        var pro = create(PRO, Optional.empty(), T_R, T_C, DEPOSIT);
        register(pro, "weather-pro", PRO);
        var response = pay(pro, "/weather-pro/weather/berlin", 0);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("berlin");
    }

    // ------------------------------------------------------------------------------------------ helpers

    record Channel(ChannelClient client, PriceTable prices) {
        String address() {
            return client.address().toLowerCase(Locale.ROOT);
        }
    }

    static String payout() {
        return chain.account(3).getAddress().toLowerCase(Locale.ROOT);
    }

    static String operator() {
        return chain.account(4).getAddress().toLowerCase(Locale.ROOT);
    }

    static String ether() {
        return "0x0000000000000000000000000000000000000000";
    }

    /** The attacker (anvil account 1, signing with account 2) creates a channel with terms of their choosing. */
    static Channel create(PriceTable prices, Optional<String> token, Duration tr, Duration tc, Wei deposit) {
        var terms = new ChannelTerms(
                chain.account(1).getAddress(),
                chain.account(2).getAddress(),
                payout(),
                operator(),
                token,
                prices,
                tr,
                tc);
        return new Channel(OnChainFixtures.channel(chain, deployment.factory(), terms, deposit), prices);
    }

    /** The marketplace verified the channel as a subscription of {@code listing} with the listing's terms. */
    static void register(Channel channel, String listing, PriceTable floors) {
        registered.put(channel.address(), terms(channel, listing, floors, T_R, T_C, ether()));
    }

    static String terms(Channel channel, String listing, PriceTable floors, Duration tr, Duration tc, String token) {
        return """
                {"channel":"%s","listing":"%s","consumer":"%s","payout":"%s","operator":"%s","token":"%s",
                 "floors":["%s"],"redeemWindowSeconds":%d,"closeDelaySeconds":%d,"state":"ACTIVE"}
                """.formatted(
                        channel.address(),
                        listing,
                        chain.account(1).getAddress().toLowerCase(Locale.ROOT),
                        payout(),
                        operator(),
                        token,
                        String.join("\",\"", floors.decimals()),
                        tr.toSeconds(),
                        tc.toSeconds());
    }

    static String routes() {
        return "[" + listing("weather", WEATHER) + "," + listing("weather-pro", PRO) + "]";
    }

    static String listing(String id, PriceTable prices) {
        return """
                {"listing":"%s","provider":"%s","operator":"%s","token":"%s",
                 "redeemWindowSeconds":%d,"closeDelaySeconds":%d,
                 "subscribeUrl":"http://marketplace.test/#/listings/%s","upstreamUrl":"%s",
                 "prices":["%s"],"routes":[{"method":"GET","path":"/weather/**","category":0}]}
                """.formatted(
                        id,
                        payout(),
                        operator(),
                        ether(),
                        T_R.toSeconds(),
                        T_C.toSeconds(),
                        id,
                        upstream.baseUrl(),
                        String.join("\",\"", prices.decimals()));
    }

    /** 401 without the gateway credential, 503 while "down"; true when the exchange was answered so. */
    static boolean refused(HttpExchange exchange) throws IOException {
        if (!("Bearer " + CREDENTIAL).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized.incrementAndGet();
            answer(exchange, 401, "{}");
            return true;
        }
        if (marketplaceDown.get()) {
            answer(exchange, 503, "{}");
            return true;
        }
        return false;
    }

    static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A voucher for the next count of the channel's epoch 1, signed with its signer (anvil account 2). */
    static HttpResponse<String> pay(Channel channel, String path, int category) throws Exception {
        return send(channel.address(), channel.prices(), path, category);
    }

    static HttpResponse<String> send(String channel, PriceTable prices, String path, int category) throws Exception {
        long count = counts.computeIfAbsent(channel + "/" + category, c -> new AtomicLong())
                .incrementAndGet();
        String voucher =
                TestVouchers.header(chain.account(2), AnvilNode.CHAIN_ID, channel, 1, category, count, prices.hash());
        return get(path, voucher);
    }

    static HttpResponse<String> get(String path, String voucher) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gatewayUrl + path));
        if (voucher != null) {
            request.header("Payment-Voucher", voucher);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** "Not subscribed" is remembered a moment (1 s here): the marketplace's new answer counts after it. */
    static void awaitProblem(Channel channel, String path, int status, String slug) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertProblem(pay(channel, path, 0), status, slug));
    }

    static void assertServed(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("berlin");
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("/problems/" + slug + "\"");
    }
}
