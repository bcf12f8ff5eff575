package io.tollgate.gateway.payment;

import io.tollgate.gateway.UpstreamGatewayTestBase;
import io.tollgate.gateway.chain.TestChain;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Redis is unreachable: a paid route forwards nothing and answers 503 (fail closed, unlike RedisRateLimiter). */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.data.redis.port=1",
            "spring.data.redis.timeout=1s",
            "tollgate.gateway.listings.weather.provider=" + PaymentFilterTest.PROVIDER,
            "tollgate.gateway.listings.weather.factory=" + PaymentFilterTest.FACTORY,
            "tollgate.gateway.listings.weather.subscribe-url=http://marketplace.test/listings/weather",
            "tollgate.gateway.listings.weather.operator=" + io.tollgate.gateway.chain.TestChain.OPERATOR,
            "tollgate.gateway.listings.weather.prices=10,25",
            "spring.cloud.gateway.server.webflux.routes[0].id=paid-weather",
            "spring.cloud.gateway.server.webflux.routes[0].uri=${tollgate.upstream-url}",
            "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/paid/**",
            "spring.cloud.gateway.server.webflux.routes[0].filters[0]=Payment=weather, 1",
            "spring.cloud.gateway.server.webflux.routes[0].filters[1]=StripPrefix=1"
        })
class PaymentFailsClosedTest extends UpstreamGatewayTestBase {

    private static final TestChain chain = new TestChain();

    @TestConfiguration
    static class Chain {
        @Bean
        @Primary
        TestChain testChain() {
            return chain;
        }
    }

    @Test
    void refusesWith503AndForwardsNothingWhenTheLedgerIsDown() {
        var state = PaymentFilterTest.channelState(1000, 1, Map.of(1L, PaymentFilterTest.EPOCH_1), 1, Optional.empty());
        chain.put(state);
        String voucher = PaymentFilterTest.weatherVoucher(state, 1);
        WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(java.time.Duration.ofSeconds(30))
                .build()
                .get()
                .uri("/paid/weather/berlin")
                .header("Payment-Voucher", voucher)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://tollgate.dev/problems/payment-unavailable");
        Assertions.assertThat(upstream.served()).isZero();
    }
}
