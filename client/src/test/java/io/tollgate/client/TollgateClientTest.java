package io.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The client against a local HTTP server standing in for a gateway: the server checks each voucher's
 * signature by recovering its signer, and answers as the gateway does (headers, problem+json).
 */
class TollgateClientTest {
    static final ChannelTerms TERMS = VoucherSignerTest.TERMS;
    static final String SIGNER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    @TempDir
    Path dir;

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicReference<Answer> answer = new AtomicReference<>(Answer.ok("1000000"));

    /** Counts the fake gateway recorded, per epoch:category:count: a second copy is refused as a replay. */
    final Set<String> recorded = ConcurrentHashMap.newKeySet();
    /** When set, the fake gateway records the next voucher but answers too late for the client's timeout. */
    final AtomicBoolean slowOnce = new AtomicBoolean();

    record Received(long epoch, int category, long count, String signer, String origin) {}

    record Answer(int status, String contentType, String body, String credit) {
        static Answer ok(String credit) {
            return new Answer(200, "application/json", "{\"ok\":true}", credit);
        }

        static Answer problem(int status, String json) {
            return new Answer(status, "application/problem+json", json, null);
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Payment-Voucher");
        byte[] bytes = Base64.getUrlDecoder().decode(header);
        var buffer = ByteBuffer.wrap(bytes, 21, 17);
        long epoch = buffer.getLong();
        int category = buffer.get();
        long count = buffer.getLong();
        var terms = TERMS.inEpoch(epoch, epoch == TERMS.epoch() ? TERMS.prices() : PriceTable.of(900, 2400));
        var signature = new Sign.SignatureData(
                bytes[134], Arrays.copyOfRange(bytes, 70, 102), Arrays.copyOfRange(bytes, 102, 134));
        String signer;
        try {
            signer = "0x"
                    + Keys.getAddress(
                            Sign.signedMessageHashToKey(VoucherSigner.digest(terms, category, count), signature));
        } catch (java.security.SignatureException e) {
            signer = "invalid";
        }
        received.add(new Received(
                epoch, category, count, signer, exchange.getRequestHeaders().getFirst("Tollgate-Origin")));
        Answer now = answer.get();
        if (!recorded.add(epoch + ":" + category + ":" + count)) {
            now = Answer.problem(409, """
                    {"type":"https://tollgate.io/problems/voucher-replayed","title":"Voucher count was already used",
                    "status":409,"detail":"sign the next count"}""");
        }
        if (now.status() == 503) {
            recorded.remove(epoch + ":" + category + ":" + count); // could not check it: recorded nothing
        }
        if (slowOnce.compareAndSet(true, false)) {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (now.status() != 200 && epoch == 4) {
            now = Answer.ok("1000000");
        }
        byte[] body = now.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", now.contentType());
        if (now.credit() != null) {
            exchange.getResponseHeaders().add("Payment-Remaining-Credit", now.credit());
            exchange.getResponseHeaders().add("Payment-Accepted-Count", Long.toString(count));
        }
        exchange.sendResponseHeaders(now.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private TollgateClient.Builder client() {
        return TollgateClient.builder()
                .terms(TERMS)
                .signer(VoucherSignerTest.SIGNER)
                .counters(new FileVoucherCounters(dir.resolve("counters.log")));
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/weather"))
                .build();
    }

    @Test
    void signsAFreshCumulativeCountPerCategoryAndReportsTheCredit() throws Exception {
        var client = client().build();
        client.send(request(), 0);
        client.send(request(), 0);
        var last = client.send(request(), 1);

        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(received)
                .extracting(Received::category, Received::count, Received::signer)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 1L, SIGNER),
                        org.assertj.core.groups.Tuple.tuple(0, 2L, SIGNER),
                        org.assertj.core.groups.Tuple.tuple(1, 1L, SIGNER));
        assertThat(client.remainingCredit()).contains(Wei.of(1_000_000));
    }

    @Test
    void aCountWhoseRequestNeverReachedTheGatewayPaysForTheRetry() throws Exception {
        var counters = new FileVoucherCounters(dir.resolve("counters.log"));
        var client = client().counters(counters).build();
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var nowhere = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/weather"))
                .build();
        assertThatThrownBy(() -> client.send(nowhere, 0)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client.send(nowhere, 0)).isInstanceOf(IOException.class);

        assertThat(client.send(request(), 0).statusCode()).isEqualTo(200);
        assertThat(client.send(request(), 0).statusCode()).isEqualTo(200);

        // two failed attempts cost one count, which the first answered request used
        assertThat(received).extracting(Received::count).containsExactly(1L, 2L);
        assertThat(counters.current(TERMS.channel(), TERMS.epoch(), 0)).isEqualTo(2);
    }

    @Test
    void aCountTheGatewayRecordedBeforeTheAnswerWasLostIsReplacedByAFreshOne() throws Exception {
        var client = client().build();
        slowOnce.set(true);
        var impatient = HttpRequest.newBuilder(request().uri())
                .timeout(Duration.ofMillis(300))
                .build();
        assertThatThrownBy(() -> client.send(impatient, 0)).isInstanceOf(IOException.class);

        var retried = client.send(request(), 0);

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.headers().firstValue("Payment-Accepted-Count")).contains("2");
        // count 1 went out again, the gateway said it had it, count 2 paid for the retry
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
        assertThat(received).extracting(Received::count).containsExactly(1L, 1L, 2L);
        assertThat(client.send(request(), 0).headers().firstValue("Payment-Accepted-Count"))
                .contains("3");
    }

    @Test
    void aCountTheGatewayCouldNotCheckIsSentAgain() throws Exception {
        var client = client().build();
        answer.set(Answer.problem(503, """
                {"type":"https://tollgate.io/problems/payment-unavailable","title":"Payment cannot be checked right now",
                "status":503,"detail":"try again shortly"}"""));
        assertThatThrownBy(() -> client.send(request(), 0))
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessageContaining("try again shortly");
        answer.set(Answer.ok("1000000"));

        client.send(request(), 0);
        client.send(request(), 0);

        assertThat(received).extracting(Received::count).containsExactly(1L, 1L, 2L);
    }

    @Test
    void countsContinueWhenTheClientRestarts() throws Exception {
        var first = client().build();
        first.send(request(), 0);
        first.send(request(), 0);
        var restarted = client().build();
        restarted.send(request(), 0);
        assertThat(received).extracting(Received::count).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPaymentRequiredAnswerBecomesAnExceptionWithTheSubscriptionHint() {
        answer.set(Answer.problem(402, """
                {"type":"https://tollgate.dev/problems/payment-insufficient","title":"Payment insufficient",
                 "status":402,"detail":"exposure would exceed the unredeemed deposit","listing":"weather",
                 "subscribe":"http://127.0.0.1:8090/listings/weather","unredeemedDeposit":"3000"}
                """));
        var client = client().build();
        assertThatThrownBy(() -> client.send(request(), 0))
                .isInstanceOfSatisfying(PaymentRequiredException.class, e -> {
                    assertThat(e.problem().slug()).isEqualTo("payment-insufficient");
                    assertThat(e.subscribeUrl()).contains("http://127.0.0.1:8090/listings/weather");
                    assertThat(e.getMessage())
                            .contains("exposure would exceed the unredeemed deposit", "subscribe at", "3000 wei");
                });
    }

    @Test
    void otherRefusalsNameTheirProblemType() {
        answer.set(Answer.problem(409, """
                {"type":"https://tollgate.dev/problems/voucher-replayed","title":"Voucher replayed","status":409,
                 "detail":"sign the next count"}
                """));
        var client = client().build();
        assertThatThrownBy(() -> client.send(request(), 0))
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessage("409 voucher-replayed: sign the next count");
    }

    @Test
    void followsTheChannelIntoANewEpochWhenItsPricesStayWithinTheCaps() throws Exception {
        answer.set(Answer.problem(409, """
                {"type":"https://tollgate.dev/problems/epoch-expired","title":"Epoch expired","status":409,
                 "channel":"%s","activeEpoch":4,"priceTable":["900","2400"]}
                """.formatted(TERMS.channel())));
        var client = client().build();
        var response = client.send(request(), 1);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(client.terms().epoch()).isEqualTo(4);
        assertThat(received)
                .extracting(Received::epoch, Received::count, Received::signer)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3L, 1L, SIGNER),
                        org.assertj.core.groups.Tuple.tuple(4L, 1L, SIGNER));
    }

    @Test
    void refusesANewEpochWhosePriceIsAboveTheCap() {
        answer.set(Answer.problem(409, """
                {"type":"https://tollgate.dev/problems/epoch-expired","title":"Epoch expired","status":409,
                 "channel":"%s","activeEpoch":4,"priceTable":["1000","9999"]}
                """.formatted(TERMS.channel())));
        var client = client().build();
        assertThatThrownBy(() -> client.send(request(), 0)).isInstanceOfSatisfying(PriceAboveCapException.class, e -> {
            assertThat(e.category()).isEqualTo(1);
            assertThat(e.price()).isEqualTo(Wei.of(9999));
            assertThat(e.cap()).isEqualTo(Wei.of(2500));
        });
        assertThat(client.terms().epoch()).isEqualTo(3);
    }

    @Test
    void signsNothingWhenThePriceIsAboveTheCap() {
        assertThatThrownBy(
                        () -> client().caps(List.of(Wei.of(1000), Wei.of(2000))).build())
                .isInstanceOf(PriceAboveCapException.class)
                .hasMessageContaining("category 1 is 2500 wei, above the cap of 2000 wei");
        assertThat(received).isEmpty();
    }

    @Test
    void capsArePerTokenAndAnEtherCapNeverCapsATokenChannel() {
        String usd = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
        var unit = new io.tollgate.pricing.TokenUnit("USDT-demo", 6);
        var etherCapsOnly = client().token(usd, unit)
                .caps(io.tollgate.protocol.Address.ZERO.value(), List.of(Wei.of(1), Wei.of(1)))
                .build();
        assertThat(etherCapsOnly.token()).isEqualTo(usd);
        assertThat(etherCapsOnly.caps())
                .as("the initial prices")
                .isEqualTo(TERMS.prices().prices());

        assertThatThrownBy(() -> client().token(usd, unit)
                        .caps(io.tollgate.protocol.Address.ZERO.value(), List.of(Wei.of(5000), Wei.of(5000)))
                        .caps(usd, List.of(Wei.of(1000), Wei.of(2000)))
                        .build())
                .isInstanceOf(PriceAboveCapException.class)
                .hasMessageContaining("category 1 is 0.0025 USDT-demo, above the cap of 0.002 USDT-demo");
        assertThat(received).isEmpty();

        // the ether channel keeps its ether caps
        assertThat(client().caps(io.tollgate.protocol.Address.ZERO.value(), List.of(Wei.of(1000), Wei.of(3000)))
                        .build()
                        .caps())
                .containsExactly(Wei.of(1000), Wei.of(3000));
    }

    @Test
    void readsTheTokenA402BodyNames() {
        var problem = new PaymentProblem(
                java.net.URI.create("https://tollgate.dev/problems/payment-required"),
                "Payment required",
                402,
                "send a Payment-Voucher",
                java.util.Map.of(
                        "token",
                        "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                        "asset",
                        java.util.Map.of(
                                "address", "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                                "symbol", "USDT-demo",
                                "decimals", 6)));
        assertThat(problem.asset()).hasValueSatisfying(asset -> {
            assertThat(asset.address()).isEqualTo("0x5fbdb2315678afecb367f032d93f642f64180aa3");
            assertThat(asset.unit()).isEqualTo(new io.tollgate.pricing.TokenUnit("USDT-demo", 6));
        });
        assertThat(new PaymentProblem(null, "x", 402, "y", java.util.Map.of()).asset())
                .isEmpty();
    }

    @Test
    void propagatesTheOriginForTransitiveTracing() throws Exception {
        var client =
                client().origin("0x00000000000000000000000000000000000000aa").build();
        client.send(request(), 0);
        client.send(
                HttpRequest.newBuilder(request().uri())
                        .header("Tollgate-Origin", "0x00000000000000000000000000000000000000bb")
                        .build(),
                0);
        assertThat(received)
                .extracting(Received::origin)
                .containsExactly(
                        "0x00000000000000000000000000000000000000aa", "0x00000000000000000000000000000000000000bb");
    }

    @Test
    void asksForATopUpOnceWhenTheCreditFallsBelowTheThreshold() throws Exception {
        var topUps = new AtomicInteger();
        var release = new java.util.concurrent.CountDownLatch(1);
        answer.set(Answer.ok("500"));
        var client = client().topUp(Wei.of(1000), (terms, credit) -> {
                    assertThat(credit).isEqualTo(Wei.of(500));
                    topUps.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .build();
        client.send(request(), 0);
        client.send(request(), 0); // while the first top-up still runs: no second one
        await().untilAsserted(() -> assertThat(topUps).hasValue(1));
        release.countDown();
        answer.set(Answer.ok("5000"));
        client.send(request(), 0);
        assertThat(topUps).hasValue(1);
    }
}
