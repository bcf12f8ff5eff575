package io.tollgate.gateway;

import io.tollgate.examples.upstream.ExampleUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the {@code @SpringBootTest} gateways in front of the example upstream share: an upstream of the test class's
 * own (started before the class's gateway, {@code tollgate.upstream-url} its URL, closed after the class) and the
 * gateway's random port.
 */
public abstract class UpstreamGatewayTestBase {
    protected static ExampleUpstream upstream;

    @LocalServerPort
    protected int port;

    @BeforeAll
    static void startUpstream() {
        upstream = ExampleUpstream.start(0);
    }

    @DynamicPropertySource
    static void upstreamUrl(DynamicPropertyRegistry registry) {
        registry.add("tollgate.upstream-url", () -> upstream.baseUrl());
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    /** The gateway's Prometheus scrape ({@code /actuator/prometheus}), answered 200. */
    public static String prometheus(WebTestClient gateway) {
        return gateway.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
