package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.gateway.OwnRedisServer;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile or broken peers: oversized headers, URLs and bodies, clients that open connections and send (almost)
 * nothing, a provider's API that never answers, a consumer flooding with vouchers its channel cannot pay.
 * Each time the gateway answers cleanly and keeps serving paid requests meanwhile.
 */
class AbuseTest {

    private static final Wei PRICE = Wei.of(1000);
    private static final StaticChannel FUNDED = StaticChannel.fresh(PRICE, PRICE.times(1_000_000));
    private static final StaticChannel UNFUNDED = StaticChannel.fresh(PRICE, Wei.ZERO);
    private static final StaticChannel PATIENT = StaticChannel.fresh(PRICE, PRICE.times(1_000_000));

    private static OwnRedisServer redis;
    private static CountingUpstream upstream;
    private static InProcessGateway gateway;
    private static long nextCount = 1;

    @BeforeAll
    static void start() {
        redis = OwnRedisServer.start();
        upstream = CountingUpstream.start();
        var routes = new ArrayList<String>();
        routes.add("--spring.data.redis.port=" + redis.port());
        // a route whose upstream may hang forever (no response timeout), and one that gives up after 1 s
        ProblemShapeTest.route(routes, 2, "hang-forever", "/forever/**", upstream.baseUrl(), "Payment=faults, 0");
        routes.add("--spring.cloud.gateway.server.webflux.routes[2].metadata.response-timeout=-1");
        ProblemShapeTest.route(routes, 3, "hang", "/hang/**", upstream.baseUrl(), "Payment=faults, 0");
        routes.add("--spring.cloud.gateway.server.webflux.routes[3].metadata.response-timeout=1000");
        routes.add("--server.netty.idle-timeout=2s");
        gateway = InProcessGateway.start(
                upstream.baseUrl(), List.of(FUNDED, UNFUNDED, PATIENT), routes.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        redis.close();
    }

    /** How many ledger scripts the gateway's own Redis ran so far. */
    private static long ledgerScripts() {
        var client = io.lettuce.core.RedisClient.create(io.lettuce.core.RedisURI.create("127.0.0.1", redis.port()));
        try (var connection = client.connect()) {
            return connection
                    .sync()
                    .info("commandstats")
                    .lines()
                    .filter(l -> l.startsWith("cmdstat_evalsha:") || l.startsWith("cmdstat_eval:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("^[^:]+:calls=(\\d+),.*", "$1")))
                    .sum();
        } finally {
            client.shutdown();
        }
    }

    /** One paid request on the funded channel: its status. */
    private static synchronized int paid() {
        return RawHttp.get(
                        gateway.port(),
                        "/paid/answer?n=" + nextCount,
                        "Payment-Voucher",
                        FUNDED.voucher(nextCount++).getBytes(StandardCharsets.ISO_8859_1))
                .status();
    }

    /** Calls {@code call(i)} for i in from..to, up to 100 at a time on virtual threads; the results in order. */
    private static <T> List<T> concurrently(int from, int to, java.util.function.IntFunction<T> call) {
        var limit = new java.util.concurrent.Semaphore(100);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = IntStream.rangeClosed(from, to)
                    .mapToObj(i -> threads.submit(() -> {
                        limit.acquire();
                        try {
                            return call.apply(i);
                        } finally {
                            limit.release();
                        }
                    }))
                    .toList();
            return futures.stream()
                    .map(f -> {
                        try {
                            return f.get();
                        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    @Test
    void oversizedHeadersAndUrlsAreRefusedCleanlyAndTheGatewayKeepsServing() {
        // beyond the server's header limit (Spring Boot's default, 8 KB): Netty answers before any filter runs
        assertThat(RawHttp.get(gateway.port(), "/paid/answer", "Payment-Voucher", filled(20_000))
                        .status())
                .isEqualTo(431);
        assertThat(RawHttp.get(gateway.port(), "/paid/answer", "X-Padding", filled(20_000))
                        .status())
                .isEqualTo(431);
        var manyHeaders = new StringBuilder("GET /paid/answer HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        IntStream.range(0, 800).forEach(i -> manyHeaders.append("X-H").append(i).append(": 0123456789\r\n"));
        assertThat(RawHttp.exchange(gateway.port(), (manyHeaders + "\r\n").getBytes(StandardCharsets.ISO_8859_1))
                        .status())
                .isEqualTo(431);
        assertThat(RawHttp.get(
                                gateway.port(),
                                "/paid/" + "a".repeat(10_000),
                                "Accept",
                                "*/*".getBytes(StandardCharsets.ISO_8859_1))
                        .status())
                .isEqualTo(414);
        // long, but under the limit: the voucher parser refuses it as a problem
        var response = RawHttp.get(gateway.port(), "/paid/answer", "Payment-Voucher", filled(7_000));
        ProblemShapeTest.assertProblem(response, 400, "voucher-malformed", "/paid/answer");
        assertThat(paid()).isEqualTo(200);
    }

    @Test
    void aRefusedRequestsBodyIsNeverReadAndAPaidBodyStreamsThrough() throws IOException {
        // announces a 1 GB body and sends none of it: the 402 comes without the gateway waiting for the body
        try (var socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream()
                    .write(("POST /paid/sink HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                                    + "Content-Length: 1073741824\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            var refused = RawHttp.read(socket.getInputStream());
            ProblemShapeTest.assertProblem(refused, 402, "payment-required", "/paid/sink");
        }
        // a paid 32 MB body reaches the provider whole
        long before = upstream.sunk();
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long count;
        synchronized (AbuseTest.class) {
            count = nextCount++;
        }
        try {
            int status = http.send(
                            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/paid/sink"))
                                    .header("Payment-Voucher", FUNDED.voucher(count))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[32 << 20]))
                                    .timeout(Duration.ofMinutes(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertThat(status).isEqualTo(204);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            http.close();
        }
        assertThat(upstream.sunk() - before).isEqualTo(32L << 20);
    }

    @Test
    void clientsThatSendNothingOrHalfARequestDoNotStarveOthersAndIdleOnesAreClosed() throws IOException {
        var sockets = new ArrayList<Socket>();
        try {
            for (int i = 0; i < 300; i++) {
                var socket = new Socket("127.0.0.1", gateway.port());
                socket.setSoTimeout(60_000);
                if (i % 2 == 0) { // half of them send the start of a request and stop there
                    socket.getOutputStream()
                            .write("GET /paid/answer HTTP/1.1\r\nHost: 127.0.0.1\r\nPayment-Voucher: "
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                }
                sockets.add(socket);
            }
            for (int i = 0; i < 50; i++) {
                assertThat(paid()).isEqualTo(200);
            }
            // the silent connections are closed by the idle timeout (2 s in this test; 60 s by default)
            for (int i = 1; i < sockets.size(); i += 2) {
                assertThat(sockets.get(i).getInputStream().read())
                        .as("silent connection closed")
                        .isEqualTo(-1);
            }
            // what the half-sent requests get, if anything, within their socket timeout
            int closedHalf = 0;
            for (int i = 0; i < sockets.size(); i += 2) {
                try {
                    if (sockets.get(i).getInputStream().read() == -1) {
                        closedHalf++;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still open
                }
            }
            Reconciliation.FaultReport.write("FAULTS slow-clients: 150 silent connections closed by the idle"
                    + " timeout, " + closedHalf + " of 150 half-sent requests closed; 50 paid requests served"
                    + " meanwhile");
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aHangingUpstreamHoldsOnlyItsOwnRequestsAndATimeoutAnswers504() {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            var hanging = new ArrayList<CompletableFuture<HttpResponse<Void>>>();
            for (int i = 1; i <= 200; i++) {
                hanging.add(http.sendAsync(
                        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/forever/hang"))
                                .header("Payment-Voucher", PATIENT.voucher(i))
                                .build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            // all 200 are held at the provider's API, none answered (no response timeout on that route) …
            await().atMost(Duration.ofMinutes(1)).until(() -> upstream.hangingNow() >= 200);
            // … while paid requests on other routes are served
            for (int i = 0; i < 100; i++) {
                assertThat(paid()).isEqualTo(200);
            }
            assertThat(hanging).noneMatch(CompletableFuture::isDone);
            // the clients give up: the gateway lets go of the provider's connections too (nothing leaks)
            hanging.forEach(f -> f.cancel(true));
        } finally {
            http.shutdownNow();
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> upstream.hangingNow() == 0);

        // with a response timeout, each one gets 504 upstream-timeout
        var statuses = concurrently(
                201,
                300,
                i -> RawHttp.get(
                        gateway.port(),
                        "/hang/hang",
                        "Payment-Voucher",
                        PATIENT.voucher(i).getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(statuses).allSatisfy(r -> ProblemShapeTest.assertProblem(r, 504, "upstream-timeout", "/hang/hang"));
        assertThat(paid()).isEqualTo(200);
    }

    @Test
    void aFloodOfVouchersAnUnfundedChannelCannotPayIsRefusedWithoutTouchingRedisOrTheProvider() {
        long before = upstream.total();
        long scripts = ledgerScripts();
        var statuses = concurrently(
                1,
                2000,
                i -> RawHttp.get(
                                gateway.port(),
                                "/paid/answer",
                                "Payment-Voucher",
                                UNFUNDED.voucher(i).getBytes(StandardCharsets.ISO_8859_1))
                        .status());
        assertThat(statuses).containsOnly(402);
        assertThat(upstream.total()).isEqualTo(before);
        assertThat(ledgerScripts()).as("ledger scripts run for the flood").isEqualTo(scripts);
        assertThat(paid()).isEqualTo(200);
    }
}
