package io.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The attacker calls the demo's unpaid example route on a gateway started without the demo profile, hoping to reach
 * the upstream of the paid listings for free: there is no such route.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleRouteOnlyInDemoTest extends UpstreamGatewayTestBase {

    @Test
    void withoutTheDemoProfileTheUnpaidExampleRouteDoesNotExist() {
        long before = upstream.served();
        WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .build()
                .get()
                .uri("/example/weather/berlin")
                .exchange()
                .expectStatus()
                .isNotFound();
        assertThat(upstream.served()).isEqualTo(before);
    }
}
