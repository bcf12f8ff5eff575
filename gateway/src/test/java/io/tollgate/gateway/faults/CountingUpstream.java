package io.tollgate.gateway.faults;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tollgate.gateway.payment.PaymentGatewayFilterFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The provider's API in the fault scenarios: it counts what it answered, per paying channel (the
 * {@code Tollgate-Origin} the gateway sets) and per voucher count (the load driver puts the count it paid with
 * in the query, {@code ?n=<count>}). {@code GET /answer} answers at once (echoing the origin it saw in
 * {@code Seen-Origin}); {@code GET /hang} never answers (a
 * hanging provider); {@code POST /sink} counts the body bytes it receives. It lives in the test's JVM, so it
 * survives the gateway being killed.
 */
final class CountingUpstream implements AutoCloseable {

    private final ConcurrentMap<String, ConcurrentMap<Long, AtomicInteger>> answered = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong hanging = new AtomicLong();
    private final AtomicLong hangingNow = new AtomicLong();
    private final AtomicLong sunk = new AtomicLong();
    private final DisposableServer server;

    private CountingUpstream() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/answer", (request, response) -> {
                            String channel = request.requestHeaders().get(PaymentGatewayFilterFactory.ORIGIN, "none");
                            List<String> n = new QueryStringDecoder(request.uri())
                                    .parameters()
                                    .getOrDefault("n", List.of("0"));
                            long count = Long.parseLong(n.getFirst());
                            answered.computeIfAbsent(channel, c -> new ConcurrentHashMap<>())
                                    .computeIfAbsent(count, c -> new AtomicInteger())
                                    .incrementAndGet();
                            total.incrementAndGet();
                            byte[] body = ("{\"n\":" + count + "}").getBytes(StandardCharsets.UTF_8);
                            return response.status(HttpResponseStatus.OK)
                                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                    .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                                    .header("Seen-Origin", channel)
                                    .sendByteArray(Mono.just(body));
                        })
                        .get("/hang", (request, response) -> {
                            hanging.incrementAndGet();
                            hangingNow.incrementAndGet();
                            return Mono.<Void>never().doFinally(signal -> hangingNow.decrementAndGet());
                        })
                        .post(
                                "/sink",
                                (request, response) -> request.receive()
                                        .doOnNext(buffer -> sunk.addAndGet(buffer.readableBytes()))
                                        .then(response.status(HttpResponseStatus.NO_CONTENT)
                                                .send()
                                                .then())))
                .bindNow(Duration.ofSeconds(10));
    }

    static CountingUpstream start() {
        return new CountingUpstream();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** API requests answered so far, all channels. */
    long total() {
        return total.get();
    }

    /** Requests that reached {@code /hang} (and were never answered). */
    long hanging() {
        return hanging.get();
    }

    /** Requests held at {@code /hang} right now (the gateway has not given up on them). */
    long hangingNow() {
        return hangingNow.get();
    }

    /** Body bytes received at {@code POST /sink}. */
    long sunk() {
        return sunk.get();
    }

    /** The counts answered for a channel and how often each was answered. */
    Map<Long, Integer> answered(String channel) {
        var counts = answered.getOrDefault(channel, new ConcurrentHashMap<>());
        var copy = new TreeMap<Long, Integer>();
        counts.forEach((count, times) -> copy.put(count, times.get()));
        return copy;
    }

    Set<String> channels() {
        return Set.copyOf(answered.keySet());
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
