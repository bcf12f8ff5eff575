package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Egress mode against a provider that plays the attacker, on anvil with the real egress gateway and Redis: the
 * provider (a small HTTP server standing for any upstream the consumer calls) serves every request and reports
 * {@code Payment-Remaining-Credit: 0} on each answer, so that the consumer's funding key tops the channel up
 * again and again. The funding key must spend no more than the configured total, also across a restart; then
 * requests are answered {@code egress-channel-unfunded}. A second provider raises its prices in a new epoch:
 * with no caps configured the egress caps at the channel's epoch-1 prices. A DemoUsd channel drained the same way is
 * topped up with permits (one transaction each) in its own token budget ({@code tokens[<usd>].*}), never with ether.
 */
class EgressTopUpAttackTest {
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final Wei DEPOSIT = Wei.parse("100000000000000");
    static final Wei TOP_UP = Wei.parse("10000000000000");
    static final Wei MAX_TOTAL = TOP_UP.times(3);
    static final Wei USD_DEPOSIT = Wei.of(10_000); // 0.01 USDT-demo
    static final Wei USD_TOP_UP = Wei.of(5_000);
    static final Wei USD_MAX_TOTAL = USD_TOP_UP.times(3);
    static String usd;
    static ChannelClient drainedUsd;
    static BigInteger funderUsd;

    static AnvilNode chain;
    static HttpServer provider;
    static Deployments.Deployment deployment;
    static ChannelClient drained;
    static ChannelClient repriced;
    static ConfigurableApplicationContext gateway;
    static int port;
    static Path counters;
    static final String PREFIX = "tollgate-egress-attack-" + System.nanoTime();

    @BeforeAll
    static void start() throws Exception {
        chain = AnvilNode.start();
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/", exchange -> {
            byte[] body = "{\"served\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Payment-Remaining-Credit", "0");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.start();
        deployment = OnChainFixtures.freshDeployment(chain);
        drained = channel();
        repriced = channel();
        usd = io.tollgate.contracts.channel.TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(0))
                .toLowerCase(Locale.ROOT);
        for (int account : new int[] {1, 7}) {
            usd(account).faucet(BigInteger.valueOf(1_000_000_000L)).send();
        }
        funderUsd = usd(0).balanceOf(chain.account(7).getAddress()).send();
        drainedUsd = usdChannel();
        counters = Files.createTempDirectory("tollgate-egress-attack").resolve("counters.log");
        gateway = startGateway();
    }

    static ChannelClient channel() {
        return OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(chain, PRICES, Duration.ofSeconds(60), Duration.ofSeconds(900)),
                DEPOSIT);
    }

    static io.tollgate.contracts.generated.DemoUsd usd(int account) {
        return io.tollgate.contracts.generated.DemoUsd.load(
                usd, chain.web3j(), chain.transactionManager(account), new org.web3j.tx.gas.DefaultGasProvider());
    }

    /** A DemoUsd channel created and funded with one permit of the consumer's. */
    static ChannelClient usdChannel() throws Exception {
        return OnChainFixtures.permitChannel(
                chain,
                deployment.factory(),
                chain.account(1),
                chain.transactionManager(1),
                new ChannelTerms(
                        chain.account(1).getAddress(),
                        chain.account(2).getAddress(),
                        chain.account(3).getAddress().toLowerCase(Locale.ROOT),
                        chain.account(4).getAddress(),
                        Optional.of(usd),
                        PriceTable.of(1_000, 2_500),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(900)),
                USD_DEPOSIT);
    }

    static ConfigurableApplicationContext startGateway() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String upstream = "http://127.0.0.1:" + provider.getAddress().getPort();
        return new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class)
                .run(GatewayArguments.of(
                        "--server.port=" + port,
                        GatewayArguments.chain(chain, deployment),
                        GatewayArguments.egressKeys(counters), // no caps configured
                        "--tollgate.gateway.egress.top-up-below=1000000000000",
                        "--tollgate.gateway.egress.top-up-amount=" + TOP_UP,
                        "--tollgate.gateway.egress.top-up.max-per-period=100",
                        "--tollgate.gateway.egress.top-up.period=1h",
                        "--tollgate.gateway.egress.top-up.max-total=" + MAX_TOTAL,
                        "--spring.cloud.gateway.server.webflux.routes[0].id=egress-drained",
                        "--spring.cloud.gateway.server.webflux.routes[0].uri=" + upstream,
                        "--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/out/**",
                        "--spring.cloud.gateway.server.webflux.routes[0].filters[0]=Sign=" + drained.address() + ", 0",
                        "--spring.cloud.gateway.server.webflux.routes[1].id=egress-repriced",
                        "--spring.cloud.gateway.server.webflux.routes[1].uri=" + upstream,
                        "--spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/dear/**",
                        "--spring.cloud.gateway.server.webflux.routes[1].filters[0]=Sign=" + repriced.address() + ", 0",
                        // the USD channel's own settings, in base units of the token
                        "--tollgate.gateway.egress.tokens[" + usd + "].symbol=USDT-demo",
                        "--tollgate.gateway.egress.tokens[" + usd + "].decimals=6",
                        "--tollgate.gateway.egress.tokens[" + usd + "].top-up-below=1000",
                        "--tollgate.gateway.egress.tokens[" + usd + "].top-up-amount=" + USD_TOP_UP,
                        "--tollgate.gateway.egress.tokens[" + usd + "].top-up.max-per-period=100",
                        "--tollgate.gateway.egress.tokens[" + usd + "].top-up.max-total=" + USD_MAX_TOTAL,
                        "--spring.cloud.gateway.server.webflux.routes[2].id=egress-usd",
                        "--spring.cloud.gateway.server.webflux.routes[2].uri=" + upstream,
                        "--spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/usd/**",
                        "--spring.cloud.gateway.server.webflux.routes[2].filters[0]=Sign=" + drainedUsd.address()
                                + ", 0",
                        "--tollgate.gateway.ledger.key-prefix=" + PREFIX));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        provider.stop(0);
        chain.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return EgressOnChainTest.get(port, path);
    }

    static Wei topUps() {
        return drained.state().totalDeposited().minus(DEPOSIT);
    }

    @Test
    void aProviderReportingZeroCreditOnEveryAnswerDrawsNoMoreThanTheTopUpTotal() throws Exception {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get("/out/weather").statusCode() == 402);
        assertThat(topUps()).as("top-ups of the drained channel").isEqualTo(MAX_TOTAL);
        var refused = get("/out/weather");
        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.body())
                .contains("https://tollgate.dev/problems/egress-channel-unfunded")
                .contains("\"reason\":\"max-total\"", "\"maxTotalWei\":\"" + MAX_TOTAL + "\"");

        // a restart does not give the provider a fresh budget
        gateway.close();
        gateway = startGateway();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get("/out/weather").statusCode() == 402);
        for (int i = 0; i < 5; i++) {
            get("/out/weather");
        }
        assertThat(topUps()).as("top-ups after the restart").isEqualTo(MAX_TOTAL);
    }

    @Test
    void withoutConfiguredCapsAPriceAboveTheChannelsEpochOnePriceIsRefused() throws Exception {
        var operator = new ChannelClient(
                chain.web3j(), repriced.address(), chain.transactionManager(4), BigInteger.TEN.pow(12));
        operator.startRedemption(PriceTable.of(5_000_000_000_000L, 5_000_000_000_000L));
        gateway.getBean(io.tollgate.gateway.chain.ChannelStateCache.class)
                .invalidate(repriced.address().toLowerCase(Locale.ROOT));

        var response = get("/dear/weather");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body())
                .contains("https://tollgate.dev/problems/egress-price-above-cap")
                .contains("\"capWei\":\"1000000000000\"", "\"priceWei\":\"5000000000000\"");
    }

    @Test
    void aDrainedTokenChannelIsToppedUpWithPermitsUpToItsTokensTotal() throws Exception {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get("/usd/weather").statusCode() == 402);
        assertThat(drainedUsd.state().totalDeposited().minus(USD_DEPOSIT))
                .as("top-ups of the USD channel, in its base units")
                .isEqualTo(USD_MAX_TOTAL);
        assertThat(usd(0).balanceOf(chain.account(7).getAddress()).send())
                .as("the funder paid exactly the top-ups, in USDT-demo")
                .isEqualTo(funderUsd.subtract(USD_MAX_TOTAL.value()));
        assertThat(io.tollgate.contracts.channel.TokenPermits.nonce(
                        chain.web3j(), usd, chain.account(7).getAddress()))
                .as("each top-up was one permit")
                .isEqualTo(BigInteger.valueOf(3));
        assertThat(chain.balance(drainedUsd.address()))
                .as("no ether sent to a token channel")
                .isZero();
        var refused = get("/usd/weather");
        assertThat(refused.body())
                .contains("https://tollgate.dev/problems/egress-channel-unfunded")
                .contains("\"reason\":\"max-total\"")
                .contains("0.015 USDT-demo (tollgate.gateway.egress.tokens[<token>].top-up.max-total)");
    }
}
