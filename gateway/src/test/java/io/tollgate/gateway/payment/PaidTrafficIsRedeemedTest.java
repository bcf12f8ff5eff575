package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.chain.TestChain;
import io.tollgate.gateway.redemption.RedemptionChain;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Paid requests through the running gateway, then its own scheduler starts a redemption once the exposure
 * passes the share, and finishes it with the best voucher after T_r (contract calls: a stand-in acting on the
 * test chain's state until the web3j client exists).
 */
class PaidTrafficIsRedeemedTest {

    private static final ExampleUpstream upstream = ExampleUpstream.start(0);
    private static final TestChain chain = new TestChain();
    private static final List<String> calls = new CopyOnWriteArrayList<>();

    // Not @Configuration: passed to the builder as a source, never picked up by other tests' component scans.
    static class Chain {
        @Bean
        @Primary
        TestChain testChain() {
            return chain;
        }

        @Bean
        RedemptionChain contractStandIn() {
            return new RedemptionChain() {
                @Override
                public Mono<io.tollgate.contracts.channel.Fees> fees() {
                    // 1 wei per gas: this test's small exposures are never worth their gas; the share redeems
                    return Mono.just(new io.tollgate.contracts.channel.Fees.Legacy(io.tollgate.pricing.Wei.of(1)));
                }

                @Override
                public Mono<String> startRedemption(String channel, PriceTable next) {
                    return Mono.fromCallable(() -> {
                        var s = ((ChannelLookup.Found) chain.read(channel).block()).state();
                        var epochs = new HashMap<>(s.epochs());
                        long e = s.activeEpoch();
                        // T_r of 1 s in this test
                        epochs.put(
                                e,
                                new EpochTerms(
                                        e,
                                        epochs.get(e).table(),
                                        Optional.of(Instant.now().plusSeconds(1))));
                        epochs.put(e + 1, new EpochTerms(e + 1, next, Optional.empty()));
                        chain.put(TestChain.stepped(
                                channel, s, e + 1, epochs, s.unredeemedDeposit(), s.oldestUnredeemedEpoch()));
                        calls.add("start " + e);
                        return "0x" + "11".repeat(32);
                    });
                }

                @Override
                public Mono<String> finishRedemption(String channel, long epoch, List<PaidVoucher> vouchers) {
                    calls.add("finish " + epoch + " "
                            + vouchers.stream()
                                    .map(v -> v.voucher().category() + ":"
                                            + v.voucher().count())
                                    .toList());
                    return Mono.just("0x" + "22".repeat(32));
                }
            };
        }
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void theGatewayRedeemsWhatItWasPaid() {
        TestDatabase.migrated();
        try (var gateway = new SpringApplicationBuilder(
                        GatewayApplication.class, Chain.class, PrivateNettyResources.class)
                .run(GatewayArguments.of(
                        "--server.port=0",
                        "--tollgate.gateway.usage.jdbc-url=" + TestDatabase.URL,
                        "--tollgate.gateway.usage.username=postgres",
                        "--tollgate.gateway.redemption.tick=200ms",
                        "--tollgate.chain.redemption-tolerance=1s",
                        "--tollgate.chain.safety-margin=0s",
                        PaymentFilterTest.weatherListing(),
                        GatewayArguments.paidRoute(0, "paid-weather", upstream.baseUrl(), "/paid/**", "weather, 1"),
                        "--tollgate.gateway.ledger.key-prefix=tollgate-wiring-" + System.nanoTime()))) {
            var state =
                    PaymentFilterTest.channelState(100, 1, Map.of(1L, PaymentFilterTest.EPOCH_1), 1, Optional.empty());
            chain.put(state);
            var client = WebClient.create(
                    "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"));
            for (long count = 1; count <= 2; count++) { // 2 × 25 = 50 = half the deposit
                int status = client.get()
                        .uri("/paid/weather/berlin")
                        .header("Payment-Voucher", PaymentFilterTest.weatherVoucher(state, count))
                        .exchangeToMono(
                                r -> r.releaseBody().thenReturn(r.statusCode().value()))
                        .block(Duration.ofSeconds(30));
                assertThat(status).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(calls).containsExactly("start 1", "finish 1 [1:2]"));
        }
    }
}
