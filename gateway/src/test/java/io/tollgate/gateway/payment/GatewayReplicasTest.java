package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.TestChain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** Whole gateway processes (application contexts) sharing one Redis, as replicas and across a restart. */
class GatewayReplicasTest {

    private static final ExampleUpstream upstream = ExampleUpstream.start(0);
    private static final TestChain chain = new TestChain();

    // Not @Configuration: passed to the builder as a source, never picked up by other tests' component scans.
    static class SharedChain {
        @Bean
        @Primary
        TestChain testChain() {
            return chain;
        }
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private static ConfigurableApplicationContext startGateway() {
        return new SpringApplicationBuilder(GatewayApplication.class, SharedChain.class, PrivateNettyResources.class)
                .run(GatewayArguments.of(
                        "--server.port=0",
                        "--tollgate.upstream-url=" + upstream.baseUrl(),
                        PaymentFilterTest.weatherListing(),
                        GatewayArguments.paidRoute(0, "paid-weather", upstream.baseUrl(), "/paid/**", "weather, 1"),
                        "--tollgate.gateway.ledger.key-prefix=tollgate-test"));
    }

    private static WebClient client(ConfigurableApplicationContext gateway) {
        return WebClient.create("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"));
    }

    private static int status(WebClient client, String voucher) {
        return client.get()
                .uri("/paid/weather/berlin")
                .header("Payment-Voucher", voucher)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                .block(Duration.ofSeconds(30));
    }

    private static ChannelState openChannel() {
        var state =
                PaymentFilterTest.channelState(100_000, 1, Map.of(1L, PaymentFilterTest.EPOCH_1), 1, Optional.empty());
        chain.put(state);
        return state;
    }

    private static String voucher(ChannelState channel, long count) {
        return PaymentFilterTest.weatherVoucher(channel, count);
    }

    @Test
    void twoGatewayInstancesOnOneRedisNeverAcceptTheSameCountTwice() {
        try (var one = startGateway();
                var two = startGateway()) {
            var channel = openChannel();
            var clients = List.of(client(one), client(two));
            List<String> vouchers = IntStream.rangeClosed(1, 20)
                    .mapToObj(n -> voucher(channel, n))
                    .toList();
            // every voucher sent to both instances at once
            List<Integer> statuses = Flux.fromIterable(vouchers)
                    .flatMap(v -> Flux.fromIterable(clients)
                            .flatMap(c -> reactor.core.publisher.Mono.fromCallable(() -> status(c, v))
                                    .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())))
                    .collectList()
                    .block(Duration.ofSeconds(60));
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(20);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(20);
        }
    }

    @Test
    void aRestartedGatewayKeepsTheLedger() {
        var channel = openChannel();
        try (var before = startGateway()) {
            assertThat(status(client(before), voucher(channel, 1))).isEqualTo(200);
            assertThat(status(client(before), voucher(channel, 2))).isEqualTo(200);
        }
        try (var after = startGateway()) {
            assertThat(status(client(after), voucher(channel, 2))).isEqualTo(409);
            assertThat(status(client(after), voucher(channel, 3))).isEqualTo(200);
        }
    }
}
