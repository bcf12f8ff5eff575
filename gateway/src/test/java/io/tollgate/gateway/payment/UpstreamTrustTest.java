package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.upstream.HostResolver;
import io.tollgate.upstream.UpstreamDecision;
import io.tollgate.upstream.UpstreamPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The attacker is a provider whose listing's upstream reaches what the gateway can reach but the public cannot. The
 * gateway checks the address it actually dials, with the production policy (no loopback allowed here): a DNS name
 * that answered a public address when the listing was saved and answers {@code 127.0.0.1} now (rebinding) is refused
 * with a 502 {@code upstream-refused} and the internal service never sees a byte. And the upstream gets the
 * listing's secret, never a client's.
 */
class UpstreamTrustTest {
    static final String SECRET = "ab".repeat(32);
    static final AtomicInteger hits = new AtomicInteger();
    static final AtomicReference<String> seenSecret = new AtomicReference<>();
    static final AtomicInteger rebindLookups = new AtomicInteger();
    static HttpServer internal;
    static ConfigurableApplicationContext gateway;
    static final HttpClient http = HttpClient.newHttpClient();

    /** A DNS server the attacker controls: rebind.test answers a public address once, then loopback. */
    static class LyingDns {
        @Bean
        @org.springframework.context.annotation.Primary
        HostResolver lyingDns() {
            return host -> switch (host) {
                case "rebind.test" ->
                    List.of(InetAddress.getByName(
                            rebindLookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1"));
                case "allowed.test" -> List.of(InetAddress.getByName("127.0.0.1"));
                default -> HostResolver.SYSTEM.resolve(host);
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", exchange -> {
            hits.incrementAndGet();
            seenSecret.set(exchange.getRequestHeaders().getFirst("Tollgate-Upstream-Secret"));
            byte[] body = "{\"eth_accounts\":[\"0xinternal\"]}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        internal.start();
        int port = internal.getAddress().getPort();
        var args = new java.util.ArrayList<>(List.of(
                "--server.port=0",
                // the strict policy, but for one host the operator allowed explicitly
                "--tollgate.upstreams.allow-networks=192.0.2.0/24",
                "--tollgate.upstreams.allow-hosts=allowed.test",
                "--tollgate.gateway.upstream-secrets.internal-api=" + SECRET,
                "--tollgate.chain.factories[0]=0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
                "--tollgate.gateway.ledger.key-prefix=tollgate-upstream-" + System.nanoTime()));
        route(args, 0, "rebind", "http://rebind.test:" + port);
        route(args, 1, "literal", "http://127.0.0.1:" + port);
        route(args, 2, "metadata", "http://169.254.169.254");
        route(args, 3, "mapped", "http://[::ffff:127.0.0.1]:" + port);
        route(args, 4, "allowed", "http://allowed.test:" + port);
        args.add("--spring.cloud.gateway.server.webflux.routes[4].filters[1]=UpstreamSecret=internal-api");
        gateway = new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class, LyingDns.class)
                .run(args.toArray(String[]::new));
    }

    private static void route(List<String> args, int i, String id, String uri) {
        String prefix = "--spring.cloud.gateway.server.webflux.routes[" + i + "].";
        args.add(prefix + "id=" + id);
        args.add(prefix + "uri=" + uri);
        args.add(prefix + "predicates[0]=Path=/" + id + "/**");
        args.add(prefix + "filters[0]=StripPrefix=1");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        internal.stop(0);
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        String port = gateway.getEnvironment().getProperty("local.server.port");
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> response, String rule) {
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).contains("/upstream-refused").contains(rule).contains("nothing was sent");
    }

    @Test
    void aDnsAnswerThatChangesAfterTheListingWasSavedIsRefusedWhenConnecting() throws Exception {
        // what the marketplace saw when the listing was saved: a public address, allowed
        var atSave = UpstreamPolicy.of(List.of(), List.of(), gateway.getBean(HostResolver.class))
                .checkUrl("http://rebind.test:" + internal.getAddress().getPort());
        assertThat(atSave).isInstanceOf(UpstreamDecision.Allowed.class);

        int before = hits.get();
        var response = get("/rebind/rpc");
        assertRefused(response, "a loopback address");
        assertThat(hits.get()).as("the internal service was never reached").isEqualTo(before);
    }

    @Test
    void addressLiteralsAreCheckedToo() throws Exception {
        int before = hits.get();
        assertRefused(get("/literal/rpc"), "a loopback address");
        assertRefused(get("/mapped/rpc"), "a loopback address");
        assertRefused(get("/metadata/latest/meta-data/"), "metadata");
        assertThat(hits.get()).isEqualTo(before);
    }

    @Test
    void anAllowedUpstreamGetsTheListingsSecretNeverTheClients() throws Exception {
        var response = get("/allowed/data", "Tollgate-Upstream-Secret", "forged-by-the-client");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seenSecret.get()).isEqualTo(SECRET);
    }
}
