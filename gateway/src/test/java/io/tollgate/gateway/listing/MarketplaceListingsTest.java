package io.tollgate.gateway.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.payment.PrivateNettyResources;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A listing that appears in the marketplace becomes a paid route of a running gateway without a restart.
 * The marketplace is a local HTTP server answering {@code /api/gateway/routes} in the marketplace's shape
 * (the marketplace's own tests hold that shape); a failing marketplace keeps the last listings.
 */
class MarketplaceListingsTest {
    static final ExampleUpstream upstream = ExampleUpstream.start(0);
    static final AtomicReference<String> answer = new AtomicReference<>("[]");
    static final AtomicReference<Integer> status = new AtomicReference<>(200);
    static HttpServer marketplace;
    static ConfigurableApplicationContext gateway;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        marketplace = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        marketplace.createContext("/api/gateway/routes", exchange -> {
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        marketplace.start();
        gateway = new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class)
                .run(
                        "--server.port=0",
                        "--tollgate.gateway.marketplace.url=http://127.0.0.1:"
                                + marketplace.getAddress().getPort(),
                        "--tollgate.gateway.marketplace.poll-interval=100ms",
                        "--tollgate.chain.factories[0]=0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
                        "--tollgate.gateway.ledger.key-prefix=tollgate-listings-" + System.nanoTime());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        marketplace.stop(0);
        upstream.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        String port = gateway.getEnvironment().getProperty("local.server.port");
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNewListingIsRoutedAndPricedWithoutARestart() throws Exception {
        assertThat(get("/weather/weather/berlin").statusCode()).isEqualTo(404);

        String complete = """
                [{"listing":"weather","provider":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
                  "operator":"0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
                  "token":"0x5FbDB2315678afecb367f032d93F642f64180aa3",
                  "tokenSymbol":"USDT-demo","tokenDecimals":6,
                  "redeemWindowSeconds":60,"closeDelaySeconds":900,
                  "subscribeUrl":"http://marketplace.test/#/listings/weather","upstreamUrl":"%s",
                  "upstreamSecret":"%s",
                  "prices":["1000","2500"],
                  "routes":[{"method":"GET","path":"/weather/**","category":0}]}]
                """.formatted(upstream.baseUrl(), "cd".repeat(32));
        answer.set(complete);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var response = get("/weather/weather/berlin");
            assertThat(response.statusCode()).isEqualTo(402);
            assertThat(response.body())
                    .contains("\"listing\":\"weather\"", "\"listPrices\":[\"1000\",\"2500\"]")
                    .contains("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc")
                    .contains("http://marketplace.test/#/listings/weather")
                    .contains("\"token\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\"")
                    .contains("\"asset\":{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\","
                            + "\"symbol\":\"USDT-demo\",\"decimals\":6}")
                    .contains("\"listPricesFormatted\":[\"0.001 USDT-demo\",\"0.0025 USDT-demo\"]")
                    .contains("\"price\":{")
                    .contains("\"redeemWindowSeconds\":60", "\"closeDelaySeconds\":900");
        });
        // a listing the marketplace sends without its channel terms is not sold: its channels could not be judged
        answer.set("""
                [{"listing":"weather","provider":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
                  "subscribeUrl":"http://marketplace.test/#/listings/weather","upstreamUrl":"%s",
                  "prices":["1000","2500"],
                  "routes":[{"method":"GET","path":"/weather/**","category":0}]}]
                """.formatted(upstream.baseUrl()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(get("/weather/weather/berlin").statusCode()).isEqualTo(404));
        answer.set(complete);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(get("/weather/weather/berlin").statusCode()).isEqualTo(402));
        // the listing's upstream secret goes with every forwarded request of its routes
        var listings = gateway.getBean(MarketplaceListings.class);
        assertThat(listings.upstreamSecret("weather")).hasValue("cd".repeat(32));
        assertThat(listings.getRouteDefinitions().collectList().block())
                .allSatisfy(r -> assertThat(r.getFilters().toString()).contains("UpstreamSecret"));
        // the method is part of the route: a POST to a GET route is not served
        var post = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port")
                                        + "/weather/weather/berlin"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(404);

        // a failing marketplace keeps the last good listings
        status.set(500);
        answer.set("{\"oops\":true}");
        await().pollDelay(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(get("/weather/weather/berlin").statusCode()).isEqualTo(402));
        status.set(200);
        answer.set("[]");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(get("/weather/weather/berlin").statusCode()).isEqualTo(404));
    }
}
