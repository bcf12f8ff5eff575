package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.UpstreamGatewayTestBase;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.chain.TestChain;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.ProblemResponder;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tollgate.gateway.listings.weather.provider=" + PaymentFilterTest.PROVIDER,
            "tollgate.gateway.listings.weather.factory=" + PaymentFilterTest.FACTORY,
            "tollgate.gateway.listings.weather.subscribe-url=http://marketplace.test/listings/weather",
            "tollgate.gateway.listings.weather.operator=" + io.tollgate.gateway.chain.TestChain.OPERATOR,
            "tollgate.gateway.listings.weather.prices=10,25",
            "tollgate.gateway.listings.weather.minimum-prices=5,20",
            "spring.cloud.gateway.server.webflux.routes[0].id=paid-weather",
            "spring.cloud.gateway.server.webflux.routes[0].uri=${tollgate.upstream-url}",
            "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/paid/**",
            "spring.cloud.gateway.server.webflux.routes[0].filters[0]=Payment=weather, 1",
            "spring.cloud.gateway.server.webflux.routes[0].filters[1]=StripPrefix=1",
            "tollgate.gateway.ledger.key-prefix=tollgate-test"
        })
class PaymentFilterTest {

    static final String PROVIDER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    static final String FACTORY = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";

    /** The weather listing of {@link #PROVIDER} and {@link #FACTORY}: TestChain's operator, 10 and 25 wei a call. */
    static List<String> weatherListing() {
        return GatewayArguments.weatherListing(PROVIDER, FACTORY, TestChain.OPERATOR, PriceTable.of(10, 25));
    }

    static final long CHAIN_ID = 31337;
    static final List<Wei> PRICES = List.of(Wei.of(10), Wei.of(25));
    static final EpochTerms EPOCH_1 = new EpochTerms(1, PRICES, Optional.empty());
    static final EpochTerms EPOCH_2 = new EpochTerms(2, PRICES, Optional.empty());

    private static final ExampleUpstream upstream = ExampleUpstream.start(0);
    private static final TestChain chain = new TestChain();

    @TestConfiguration
    static class Chain {
        @Bean
        @org.springframework.context.annotation.Primary
        TestChain testChain() {
            return chain;
        }
    }

    @DynamicPropertySource
    static void upstreamUrl(DynamicPropertyRegistry registry) {
        registry.add("tollgate.upstream-url", upstream::baseUrl);
        TestDatabase.migrated();
        registry.add("tollgate.gateway.usage.jdbc-url", () -> TestDatabase.URL);
        registry.add("tollgate.gateway.usage.username", () -> "postgres");
        registry.add("tollgate.gateway.usage.flush-interval", () -> "200ms");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ProblemResponder problems;

    private WebTestClient client() {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** A fresh funded channel paying the weather listing, signed by {@link TestVouchers#SIGNER}. */
    /** An open channel of 1000 wei in epoch 1, which expires in {@code seconds}, with epoch 2 begun. */
    private static ChannelState openInAnEpoch1ExpiringIn(long seconds) {
        var expiring = new EpochTerms(1, PRICES, Optional.of(Instant.now().plusSeconds(seconds)));
        return openChannel(1000, 2, Map.of(1L, expiring, 2L, EPOCH_2), 1, Optional.empty());
    }

    private static ChannelState openChannel(long deposit) {
        return openChannel(deposit, 1, Map.of(1L, EPOCH_1), 1, Optional.empty());
    }

    private static ChannelState openChannel(
            long deposit, long active, Map<Long, EpochTerms> epochs, long oldest, Optional<Instant> closesAt) {
        var state = channelState(deposit, active, epochs, oldest, closesAt);
        chain.put(state);
        return state;
    }

    /** A fresh channel paying the weather listing, signed by {@link TestVouchers#SIGNER}. */
    static ChannelState channelState(
            long deposit, long active, Map<Long, EpochTerms> epochs, long oldest, Optional<Instant> closesAt) {
        return new ChannelState(
                RealRedis.randomChannel(),
                CHAIN_ID,
                FACTORY,
                PROVIDER,
                TestVouchers.SIGNER.getAddress(),
                active,
                epochs,
                Wei.of(deposit),
                oldest,
                closesAt,
                false,
                TestChain.PARTIES);
    }

    /** A voucher of the weather listing's category 1 in epoch 1. */
    static String weatherVoucher(ChannelState channel, long count) {
        return TestVouchers.header(
                TestVouchers.SIGNER, CHAIN_ID, channel.channel(), 1, 1, count, EPOCH_1.priceTableHash());
    }

    private static String voucher(ChannelState channel, long count) {
        return weatherVoucher(channel, count);
    }

    private WebTestClient.ResponseSpec get(String voucher) {
        return client().get()
                .uri("/paid/weather/berlin")
                .header("Payment-Voucher", voucher)
                .exchange();
    }

    private void expectProblem(WebTestClient.ResponseSpec response, PaymentProblem problem) {
        response.expectStatus()
                .isEqualTo(problem.status())
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals("Cache-Control", "no-store")
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo(problems.typeOf(problem));
    }

    @Test
    void answersAMissingVoucherWith402SayingWhatToPay() {
        long served = upstream.served();
        client().get()
                .uri("/paid/weather/berlin")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.PAYMENT_REQUIRED)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals("Cache-Control", "no-store")
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://tollgate.dev/problems/payment-required")
                .jsonPath("$.listing")
                .isEqualTo("weather")
                .jsonPath("$.factory")
                .isEqualTo(FACTORY)
                .jsonPath("$.category")
                .isEqualTo(1)
                .jsonPath("$.listPrices[1]")
                .isEqualTo("25")
                .jsonPath("$.listPricesFormatted[1]")
                .isEqualTo("0.000000000000000025 ETH")
                .jsonPath("$.price.baseUnits")
                .isEqualTo("25")
                .jsonPath("$.token")
                .isEqualTo("0x0000000000000000000000000000000000000000")
                .jsonPath("$.asset.address")
                .isEqualTo("0x0000000000000000000000000000000000000000")
                .jsonPath("$.asset.symbol")
                .isEqualTo("ETH")
                .jsonPath("$.asset.decimals")
                .isEqualTo(18)
                .jsonPath("$.listPriceTableHash")
                .isEqualTo(EPOCH_1.priceTableHashHex())
                .jsonPath("$.subscribe")
                .isEqualTo("http://marketplace.test/listings/weather");
        assertThat(upstream.served()).as("nothing reached the upstream").isEqualTo(served);
    }

    @Test
    void aMissingVoucherWithAChannelHintGetsTheChannelsActiveEpoch() {
        var channel = openChannel(1000);
        client().get()
                .uri("/paid/weather/berlin")
                .header("Payment-Channel", channel.channel())
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.PAYMENT_REQUIRED)
                .expectBody()
                .jsonPath("$.activeEpoch")
                .isEqualTo(1)
                .jsonPath("$.priceTableHash")
                .isEqualTo(EPOCH_1.priceTableHashHex());
    }

    @Test
    void forwardsAPaidRequestWithCountCreditAndOrigin() {
        var channel = openChannel(1000);
        client().get()
                .uri("/paid/headers")
                .header("Payment-Voucher", voucher(channel, 1))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Payment-Accepted-Count", "1")
                .expectHeader()
                .valueEquals("Payment-Remaining-Credit", "975")
                .expectBody()
                .jsonPath("$.tollgate-origin")
                .isEqualTo(channel.channel())
                .jsonPath("$.payment-voucher")
                .doesNotExist();
    }

    @Test
    void recordsUsageOfPaidRequestsInPostgres() {
        var channel = openChannel(1000);
        get(voucher(channel, 1)).expectStatus().isOk();
        get(voucher(channel, 2)).expectStatus().isOk();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (var connection = TestDatabase.migrated().getConnection();
                    var statement = connection.prepareStatement(
                            "SELECT sum(requests), sum(value_wei), sum(status_2xx) FROM gateway_usage_minute"
                                    + " WHERE channel = ? AND listing_id = 'weather' AND category = 1")) {
                statement.setString(1, channel.channel());
                var result = statement.executeQuery();
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isEqualTo(2);
                assertThat(result.getBigDecimal(2).intValueExact()).isEqualTo(50);
                assertThat(result.getLong(3)).isEqualTo(2);
            }
        });
    }

    /** A paid request claiming {@code origin} reaches the upstream with {@code Tollgate-Origin} {@code expected}. */
    private void assertUpstreamSeesOrigin(ChannelState channel, String origin, String expected) {
        client().get()
                .uri("/paid/headers")
                .header("Payment-Voucher", voucher(channel, 1))
                .header("Tollgate-Origin", origin)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.tollgate-origin")
                .isEqualTo(expected);
    }

    @Test
    void keepsAnOriginTheCallerAlreadyCarries() {
        var channel = openChannel(1000);
        assertUpstreamSeesOrigin(
                channel, "0x00000000000000000000000000000000000000aa", "0x00000000000000000000000000000000000000aa");
    }

    @Test
    void replacesAnOriginThatIsNotAnAddressWithThePayingChannel() {
        var channel = openChannel(1000);
        assertUpstreamSeesOrigin(channel, "'; drop table gateway_origin_minute; --", channel.channel());
    }

    @Test
    void refusesAMalformedVoucherWith400() {
        expectProblem(get("definitely-not-a-voucher"), PaymentProblem.VOUCHER_MALFORMED);
    }

    @Test
    void rejectsVoucherWhoseCountWasAlreadyUsed() {
        var channel = openChannel(1000);
        get(voucher(channel, 1)).expectStatus().isOk();
        expectProblem(get(voucher(channel, 1)), PaymentProblem.VOUCHER_REPLAYED);
        get(voucher(channel, 2)).expectStatus().isOk().expectHeader().valueEquals("Payment-Remaining-Credit", "950");
    }

    @Test
    void acceptsExactlyOneOfFiftyConcurrentCopiesOfOneVoucher() {
        var channel = openChannel(1000);
        String copy = voucher(channel, 1);
        var web = WebClient.create("http://127.0.0.1:" + port);
        List<Integer> statuses = Flux.fromStream(IntStream.range(0, 50).boxed())
                .flatMap(
                        i -> web.get()
                                .uri("/paid/weather/berlin")
                                .header("Payment-Voucher", copy)
                                .exchangeToMono(r -> r.releaseBody()
                                        .thenReturn(r.statusCode().value())),
                        50)
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(49);
    }

    @Test
    void acceptsReorderedCountsOnce() {
        var channel = openChannel(1000);
        for (long count : new long[] {3, 1, 2}) {
            get(voucher(channel, count))
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .valueEquals("Payment-Remaining-Credit", "925");
        }
        expectProblem(get(voucher(channel, 2)), PaymentProblem.VOUCHER_REPLAYED);
    }

    @Test
    void rejectsHighSSignatures() {
        var channel = openChannel(1000);
        byte[] hash = EPOCH_1.priceTableHash();
        byte[] low = TestVouchers.sign(TestVouchers.SIGNER, CHAIN_ID, channel.channel(), 1, 1, 1, hash);
        String high = VoucherHeaderCodec.encode(channel.channel(), 1, 1, 1, hash, TestVouchers.highS(low));
        expectProblem(get(high), PaymentProblem.SIGNATURE_INVALID);
        get(VoucherHeaderCodec.encode(channel.channel(), 1, 1, 1, hash, low))
                .expectStatus()
                .isOk();
    }

    @Test
    void rejectsVouchersSignedForAnotherChainOrContractOrByAnotherKey() {
        var channel = openChannel(1000);
        byte[] hash = EPOCH_1.priceTableHash();
        byte[] otherChain = TestVouchers.sign(TestVouchers.SIGNER, 1, channel.channel(), 1, 1, 1, hash);
        expectProblem(
                get(VoucherHeaderCodec.encode(channel.channel(), 1, 1, 1, hash, otherChain)),
                PaymentProblem.SIGNATURE_INVALID);
        byte[] otherContract = TestVouchers.sign(TestVouchers.SIGNER, CHAIN_ID, FACTORY, 1, 1, 1, hash);
        expectProblem(
                get(VoucherHeaderCodec.encode(channel.channel(), 1, 1, 1, hash, otherContract)),
                PaymentProblem.SIGNATURE_INVALID);
        expectProblem(
                get(TestVouchers.header(TestVouchers.STRANGER, CHAIN_ID, channel.channel(), 1, 1, 1, hash)),
                PaymentProblem.SIGNATURE_INVALID);
    }

    @Test
    void rejectsAStalePriceTableHash() {
        var channel = openChannel(1000);
        byte[] stale = new EpochTerms(1, List.of(Wei.of(10), Wei.of(20)), Optional.empty()).priceTableHash();
        expectProblem(
                get(TestVouchers.header(TestVouchers.SIGNER, CHAIN_ID, channel.channel(), 1, 1, 1, stale)),
                PaymentProblem.PRICE_TABLE_STALE);
    }

    @Test
    void rejectsExposureAboveTheDeposit() {
        var channel = openChannel(60);
        get(voucher(channel, 2)).expectStatus().isOk().expectHeader().valueEquals("Payment-Remaining-Credit", "10");
        expectProblem(get(voucher(channel, 3)), PaymentProblem.PAYMENT_INSUFFICIENT);
    }

    @Test
    void rejectsAnExpiredEpoch() {
        // expires in 5 s, less than the 10 s safety margin: no longer accepted
        var channel = openInAnEpoch1ExpiringIn(5);
        expectProblem(get(voucher(channel, 1)), PaymentProblem.EPOCH_EXPIRED);
        var redeemed = openChannel(1000, 2, Map.of(2L, EPOCH_2), 2, Optional.empty());
        expectProblem(get(voucher(redeemed, 1)), PaymentProblem.EPOCH_EXPIRED);
    }

    @Test
    void acceptsAnExpiringEpochWithTimeToSpare() {
        var channel = openInAnEpoch1ExpiringIn(50);
        get(voucher(channel, 1)).expectStatus().isOk();
    }

    @Test
    void theExpiringEpochKeepsItsSignerAfterARotation() {
        // the consumer rotated its signer: epoch 1 (expiring) was signed by SIGNER, epoch 2 by STRANGER
        var expiring = new EpochTerms(1, PRICES, Optional.of(Instant.now().plusSeconds(50)))
                .signedBy(TestVouchers.SIGNER.getAddress().toLowerCase());
        var epoch2 = EPOCH_2;
        var rotated = channelState(1000, 2, Map.of(1L, expiring, 2L, epoch2), 1, Optional.empty());
        var state = new ChannelState(
                rotated.channel(),
                rotated.chainId(),
                rotated.factory(),
                rotated.provider(),
                TestVouchers.STRANGER.getAddress().toLowerCase(),
                rotated.activeEpoch(),
                rotated.epochs(),
                rotated.unredeemedDeposit(),
                rotated.oldestUnredeemedEpoch(),
                rotated.closesAt(),
                false,
                TestChain.PARTIES);
        chain.put(state);
        get(voucher(state, 1)).expectStatus().isOk();
        String epoch2BySigner =
                TestVouchers.header(TestVouchers.SIGNER, CHAIN_ID, state.channel(), 2, 1, 1, epoch2.priceTableHash());
        expectProblem(get(epoch2BySigner), PaymentProblem.SIGNATURE_INVALID);
        String epoch2ByNewSigner =
                TestVouchers.header(TestVouchers.STRANGER, CHAIN_ID, state.channel(), 2, 1, 2, epoch2.priceTableHash());
        get(epoch2ByNewSigner).expectStatus().isOk();
    }

    @Test
    void rejectsAClosingChannel() {
        var channel = openChannel(
                1000, 1, Map.of(1L, EPOCH_1), 1, Optional.of(Instant.now().plusSeconds(900)));
        expectProblem(get(voucher(channel, 1)), PaymentProblem.CHANNEL_CLOSING);
    }

    @Test
    void refusesUnknownAndUntrustedChannels() {
        String unknown = RealRedis.randomChannel();
        expectProblem(
                get(TestVouchers.header(TestVouchers.SIGNER, CHAIN_ID, unknown, 1, 1, 1, EPOCH_1.priceTableHash())),
                PaymentProblem.CHANNEL_UNKNOWN);
        String foreign = RealRedis.randomChannel();
        chain.refuse(foreign, ChannelLookup.Reason.UNKNOWN_IMPLEMENTATION);
        expectProblem(
                get(TestVouchers.header(TestVouchers.SIGNER, CHAIN_ID, foreign, 1, 1, 1, EPOCH_1.priceTableHash())),
                PaymentProblem.CHANNEL_UNTRUSTED);
    }

    @Test
    void refusesAVoucherForAnotherCategoryThanTheRoute() {
        var channel = openChannel(1000);
        expectProblem(
                get(TestVouchers.header(
                        TestVouchers.SIGNER, CHAIN_ID, channel.channel(), 1, 0, 1, EPOCH_1.priceTableHash())),
                PaymentProblem.VOUCHER_WRONG_CATEGORY);
    }

    @Test
    void countsChecksByOutcomeInPrometheus() {
        var channel = openChannel(1000);
        get(voucher(channel, 1)).expectStatus().isOk();
        get(voucher(channel, 1)).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        assertThat(UpstreamGatewayTestBase.prometheus(client()))
                .contains("tollgate_voucher_checks_total{outcome=\"accepted\"}")
                .contains("tollgate_voucher_checks_total{outcome=\"voucher-replayed\"}")
                .doesNotContain(channel.channel());
    }
}
