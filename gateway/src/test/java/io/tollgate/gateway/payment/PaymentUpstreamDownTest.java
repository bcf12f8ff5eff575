package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.chain.TestChain;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The upstream is down after a voucher was accepted: the gateway answers as Spring Cloud Gateway does for a
 * dead upstream, not with {@code payment-unavailable} (the payment check did not fail), and the count stays
 * used (the SLA observation records the failure; penalties are the SLA's business).
 */
class PaymentUpstreamDownTest {

    private static final TestChain chain = new TestChain();

    // Not @Configuration: passed to the builder as a source, never picked up by other tests' component scans.
    static class Chain {
        @Bean
        @Primary
        TestChain testChain() {
            return chain;
        }
    }

    @Test
    void anUpstreamFailureAfterAcceptanceIsNotAPaymentProblem() {
        try (var gateway = new SpringApplicationBuilder(
                        GatewayApplication.class, Chain.class, PrivateNettyResources.class)
                .run(GatewayArguments.of(
                        "--server.port=0",
                        PaymentFilterTest.weatherListing(),
                        "--spring.cloud.gateway.server.webflux.routes[0].id=paid-dead",
                        "--spring.cloud.gateway.server.webflux.routes[0].uri=http://127.0.0.1:1",
                        "--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/paid/**",
                        "--spring.cloud.gateway.server.webflux.routes[0].filters[0]=Payment=weather, 1",
                        "--tollgate.gateway.ledger.key-prefix=tollgate-test"))) {
            var state =
                    PaymentFilterTest.channelState(1000, 1, Map.of(1L, PaymentFilterTest.EPOCH_1), 1, Optional.empty());
            chain.put(state);
            var client = WebClient.create(
                    "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"));
            String voucher = PaymentFilterTest.weatherVoucher(state, 1);
            var first = client.get()
                    .uri("/paid/weather/berlin")
                    .header("Payment-Voucher", voucher)
                    .exchangeToMono(r -> r.bodyToMono(String.class)
                            .defaultIfEmpty("")
                            .map(body -> Map.entry(r.statusCode().value(), body)))
                    .block(Duration.ofSeconds(30));
            assertThat(first.getKey()).isBetween(500, 599);
            assertThat(first.getValue()).doesNotContain("payment-unavailable");
            var replay = client.get()
                    .uri("/paid/weather/berlin")
                    .header("Payment-Voucher", voucher)
                    .exchangeToMono(
                            r -> r.releaseBody().thenReturn(r.statusCode().value()))
                    .block(Duration.ofSeconds(30));
            assertThat(replay).isEqualTo(409);
        }
    }
}
