package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Egress mode on a real chain: a consumer service calls its own gateway without any voucher; the {@code Sign}
 * route signs with the consumer's signer key and forwards to a provider's paid route (here the same gateway
 * process), which accepts. A second egress route whose category costs more than the consumer's cap is refused
 * before anything is signed.
 */
class EgressOnChainTest {
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static AnvilNode chain;
    static ExampleUpstream upstream;
    static ConfigurableApplicationContext gateway;
    static ChannelClient channel;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        chain = AnvilNode.start();
        upstream = ExampleUpstream.start(0);
        var deployment = OnChainFixtures.freshDeployment(chain);
        String payout = chain.account(3).getAddress().toLowerCase(Locale.ROOT);
        channel = OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(chain, PRICES, Duration.ofSeconds(60), Duration.ofSeconds(900)),
                Wei.parse("100000000000000"));
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var counters = Files.createTempDirectory("tollgate-egress").resolve("counters.log");
        gateway = new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class)
                .run(GatewayArguments.of(
                        "--server.port=" + port,
                        GatewayArguments.chain(chain, deployment),
                        GatewayArguments.egressKeys(counters),
                        "--tollgate.gateway.egress.caps=1000000000000,2000000000000",
                        // top-ups once the credit falls below 97 requests' worth
                        "--tollgate.gateway.egress.top-up-below=97000000000000",
                        "--tollgate.gateway.egress.top-up-amount=50000000000000",
                        GatewayArguments.weatherListing(
                                payout, deployment.factory(), chain.account(4).getAddress(), PRICES),
                        GatewayArguments.paidRoute(0, "paid-weather", upstream.baseUrl(), "/paid/**", "weather, 0"),
                        "--spring.cloud.gateway.server.webflux.routes[1].id=egress-weather",
                        "--spring.cloud.gateway.server.webflux.routes[1].uri=http://127.0.0.1:" + port,
                        "--spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/out/**",
                        "--spring.cloud.gateway.server.webflux.routes[1].filters[0]=Sign=" + channel.address() + ", 0",
                        "--spring.cloud.gateway.server.webflux.routes[1].filters[1]=RewritePath=/out/(?<rest>.*), /paid/${rest}",
                        "--spring.cloud.gateway.server.webflux.routes[2].id=egress-too-expensive",
                        "--spring.cloud.gateway.server.webflux.routes[2].uri=http://127.0.0.1:" + port,
                        "--spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/dear/**",
                        "--spring.cloud.gateway.server.webflux.routes[2].filters[0]=Sign=" + channel.address() + ", 1",
                        "--tollgate.gateway.ledger.key-prefix=tollgate-egress-" + System.nanoTime()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        chain.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return get(port, path);
    }

    /** A plain GET of {@code path} on the gateway at {@code port} (its egress routes sign and pay themselves). */
    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEgressRouteSignsFreshCountsThatTheProvidersGatewayAccepts() throws Exception {
        for (int expected = 1; expected <= 3; expected++) {
            var response = get("/out/weather/berlin");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("berlin");
            assertThat(response.headers().firstValue("Payment-Accepted-Count")).hasValue(Integer.toString(expected));
        }
        var credit = get("/out/weather/paris").headers().firstValue("Payment-Remaining-Credit");
        assertThat(credit)
                .hasValue(Wei.parse("100000000000000").minus(PRICES.cost(0, 4)).toString());
    }

    @Test
    void aPriceAboveTheConsumersCapIsRefusedBeforeSigning() throws Exception {
        var response = get("/dear/weather/berlin");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body())
                .contains("https://tollgate.dev/problems/egress-price-above-cap")
                .contains("\"capWei\":\"2000000000000\"", "\"priceWei\":\"2500000000000\"");
    }
}
