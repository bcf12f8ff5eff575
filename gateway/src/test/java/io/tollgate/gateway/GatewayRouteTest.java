package io.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The demo profile's unpaid example route (scripts/demo.sh runs the gateway with it). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class GatewayRouteTest extends UpstreamGatewayTestBase {

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    @Test
    void routesTheExamplePrefixToTheUpstreamWithThePrefixStripped() {
        long before = upstream.served();
        client().get()
                .uri("/example/weather/berlin")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.city")
                .isEqualTo("berlin");
        assertThat(upstream.served()).isEqualTo(before + 1);
    }

    @Test
    void forwardsPostBodies() {
        client().post()
                .uri("/example/translate")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"toll\",\"to\":\"de\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.text")
                .isEqualTo("llot");
    }

    @Test
    void answers404OutsideConfiguredRoutes() {
        client().get().uri("/nowhere/weather/berlin").exchange().expectStatus().isNotFound();
    }

    @Test
    void exposesPrometheusMetrics() {
        client().get().uri("/example/health").exchange().expectStatus().isOk();
        assertThat(prometheus(client())).contains("jvm_memory_used_bytes");
    }
}
