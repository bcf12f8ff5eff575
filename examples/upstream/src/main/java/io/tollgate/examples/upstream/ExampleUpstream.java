package io.tollgate.examples.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tollgate.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider's own small HTTP API: what the demo routes to, what the tests call through the gateway and
 * the benchmark's upstream. Plain reactor-netty (no Spring) so that it is never the bottleneck.
 *
 * <p>Endpoints: {@code GET /weather/{city}}, {@code GET /quotes/{symbol}}, {@code POST /translate}
 * ({@code {"text": "...", "to": "de"}}), {@code GET /fx/rates/{pair}} (an exchange rate such as EURUSD), {@code GET
 * /fx/history/{pair}} (its last seven daily rates), {@code GET /health} (never affected by an outage), {@code GET /probe}
 * (what SLA monitors call), {@code GET /headers} (echoes the request headers, lower-cased), and the outage switch {@code POST /admin/outage?percent=N} (0–100; N % of the
 * API's requests answer 503, deterministically: in every run of 100 consecutive requests exactly N fail) with
 * {@code GET /admin/outage} to read it.
 *
 * <p>How a provider refuses traffic that did not pass a gateway: started with its listing's upstream secret (the
 * provider reads it on its listing's page in the marketplace), the API endpoints (weather, quotes, translate, headers)
 * answer 401 to any request whose {@value #SECRET_HEADER} header is not that secret, compared in constant time.
 * {@code /health} and {@code /probe} stay open: SLA monitors probe the upstream directly.
 *
 * <p>Run it with {@code java -jar tollgate-example-upstream-*-exec.jar [--port=8081] [--upstream-secret=HEX]} (or
 * {@code PORT}, {@code TOLLGATE_UPSTREAM_SECRET} in the environment); tests start it in-process with {@link
 * #start(int)}.
 */
public final class ExampleUpstream implements AutoCloseable {

    /** The port used when neither {@code --port=} nor {@code PORT} says otherwise. */
    public static final int DEFAULT_PORT = 8081;

    private static final String JSON = "application/json";
    private static final String[] CONDITIONS = {"sunny", "cloudy", "rain", "snow", "fog", "wind"};

    private final ObjectMapper json = JsonMapper.builder().build();
    private final AtomicInteger outagePercent = new AtomicInteger();
    private final AtomicLong apiRequests = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    /** The header gateways send the listing's upstream secret in. */
    public static final String SECRET_HEADER = Headers.UPSTREAM_SECRET;

    private DisposableServer server;
    private final byte[] secret;

    private ExampleUpstream(String secret) {
        this.secret = secret == null || secret.isBlank() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts the API on {@code 127.0.0.1:port} ({@code 0} picks a free port) and returns its handle.
     */
    public static ExampleUpstream start(int port) {
        return start("127.0.0.1", port);
    }

    /** Starts the API on {@code host:port}; {@code 0.0.0.0} listens on every interface. */
    public static ExampleUpstream start(String host, int port) {
        return start(host, port, null);
    }

    /**
     * Starts the API on {@code host:port}, refusing API requests that do not carry {@code secret} in {@value
     * #SECRET_HEADER} (null or blank: accepts every request, as a provider that does not check would).
     */
    public static ExampleUpstream start(String host, int port, String secret) {
        var upstream = new ExampleUpstream(secret);
        upstream.server = HttpServer.create()
                .host(host)
                .port(port)
                .route(routes -> routes.get(
                                "/health",
                                (req, res) -> upstream.send(res, HttpResponseStatus.OK, Map.of("status", "UP")))
                        .get(
                                "/probe",
                                upstream.api(
                                        (req, res) -> upstream.send(res, HttpResponseStatus.OK, Map.of("ok", true))))
                        .get("/weather/{city}", upstream.gated(upstream.api(upstream::weather)))
                        .get("/quotes/{symbol}", upstream.gated(upstream.api(upstream::quote)))
                        .post("/translate", upstream.gated(upstream.api(upstream::translate)))
                        .get("/fx/rates/{pair}", upstream.gated(upstream.api(upstream::fxRate)))
                        .get("/fx/history/{pair}", upstream.gated(upstream.api(upstream::fxHistory)))
                        .get("/headers", upstream.gated(upstream.api(upstream::headers)))
                        .get("/admin/outage", (req, res) -> upstream.outageState(res))
                        .post("/admin/outage", upstream::setOutage))
                .bindNow(Duration.ofSeconds(10));
        return upstream;
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Sets the share of API requests (0–100 %) answered with 503. */
    public void outagePercent(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("outage percent must be 0..100: " + percent);
        }
        outagePercent.set(percent);
    }

    /** How many API requests (not health, not admin) were answered with 2xx. */
    public long served() {
        return served.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }

    public static void main(String[] args) throws InterruptedException {
        int port = DEFAULT_PORT;
        String env = System.getenv("PORT");
        if (env != null && !env.isBlank()) {
            port = Integer.parseInt(env.trim());
        }
        String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
        String secret = System.getenv("TOLLGATE_UPSTREAM_SECRET");
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--host=")) {
                host = arg.substring("--host=".length());
            } else if (arg.startsWith("--upstream-secret=")) {
                secret = arg.substring("--upstream-secret=".length());
            } else {
                throw new IllegalArgumentException(
                        "unknown argument " + arg + " (use --port=N, --host=H, --upstream-secret=HEX)");
            }
        }
        if (secret == null || secret.isBlank()) {
            System.out.println("WARNING: no upstream secret (--upstream-secret or TOLLGATE_UPSTREAM_SECRET): "
                    + "requests that skip the gateway are served");
        }
        var upstream = start(host, port, secret);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            upstream.close();
            stopped.countDown();
        }));
        System.out.println("example upstream listening on http://" + host + ":" + upstream.port());
        stopped.await();
    }

    private interface Handler {
        Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response);
    }

    /** Refuses (401) a request without the upstream secret, when one is configured. */
    private java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> gated(
            java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        return (request, response) -> {
            if (secret != null) {
                String sent = request.requestHeaders().get(SECRET_HEADER);
                if (sent == null
                        || !java.security.MessageDigest.isEqual(secret, sent.getBytes(StandardCharsets.UTF_8))) {
                    return send(
                            response,
                            HttpResponseStatus.UNAUTHORIZED,
                            Map.of(
                                    "error",
                                    "this API is served through a Tollgate gateway only: the request lacks the"
                                            + " gateway's " + SECRET_HEADER));
                }
            }
            return handler.apply(request, response);
        };
    }

    private java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> api(Handler handler) {
        return (request, response) -> {
            int percent = outagePercent.get();
            long n = apiRequests.getAndIncrement();
            if (percent > 0 && n % 100 < percent) {
                return send(response, HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", "outage"));
            }
            served.incrementAndGet();
            return handler.handle(request, response);
        };
    }

    private Publisher<Void> weather(HttpServerRequest request, HttpServerResponse response) {
        String city = request.param("city").toLowerCase(Locale.ROOT);
        int seed = Math.floorMod(city.hashCode(), 1000);
        return send(
                response,
                HttpResponseStatus.OK,
                Map.of(
                        "city",
                        city,
                        "temperatureC",
                        seed % 40 - 5,
                        "conditions",
                        CONDITIONS[seed % CONDITIONS.length]));
    }

    private Publisher<Void> quote(HttpServerRequest request, HttpServerResponse response) {
        String symbol = request.param("symbol").toUpperCase(Locale.ROOT);
        int cents = 1000 + Math.floorMod(symbol.hashCode(), 99_000);
        // A price as a decimal string, never a JSON number.
        String price = cents / 100 + "." + String.format(Locale.ROOT, "%02d", cents % 100);
        return send(response, HttpResponseStatus.OK, Map.of("symbol", symbol, "price", price, "currency", "USD"));
    }

    /** A pair's rate as a decimal string with four places (never a JSON number), made up from the pair's name. */
    private static String fxRate(String pair, int day) {
        int basisPoints = 5_000 + Math.floorMod(pair.hashCode() + day * 37, 15_000);
        return basisPoints / 10_000 + "." + String.format(Locale.ROOT, "%04d", basisPoints % 10_000);
    }

    private Publisher<Void> fxRate(HttpServerRequest request, HttpServerResponse response) {
        String pair = request.param("pair").toUpperCase(Locale.ROOT);
        return send(response, HttpResponseStatus.OK, Map.of("pair", pair, "rate", fxRate(pair, 0)));
    }

    private Publisher<Void> fxHistory(HttpServerRequest request, HttpServerResponse response) {
        String pair = request.param("pair").toUpperCase(Locale.ROOT);
        var rates = java.util.stream.IntStream.range(0, 7)
                .mapToObj(day -> fxRate(pair, day))
                .toList();
        return send(response, HttpResponseStatus.OK, Map.of("pair", pair, "days", 7, "rates", rates));
    }

    private Publisher<Void> headers(HttpServerRequest request, HttpServerResponse response) {
        var headers = new java.util.TreeMap<String, String>();
        request.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        return send(response, HttpResponseStatus.OK, headers);
    }

    private Publisher<Void> translate(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .flatMap(body -> {
                    JsonNode node;
                    try {
                        node = json.readTree(body);
                    } catch (RuntimeException e) {
                        return Mono.from(
                                send(response, HttpResponseStatus.BAD_REQUEST, Map.of("error", "body is not JSON")));
                    }
                    String text = node.path("text").asString("");
                    String to = node.path("to").asString("en");
                    String translated = new StringBuilder(text).reverse().toString();
                    return Mono.from(send(response, HttpResponseStatus.OK, Map.of("text", translated, "to", to)));
                });
    }

    private Publisher<Void> outageState(HttpServerResponse response) {
        return send(response, HttpResponseStatus.OK, Map.of("percent", outagePercent.get()));
    }

    private Publisher<Void> setOutage(HttpServerRequest request, HttpServerResponse response) {
        var decoder = new io.netty.handler.codec.http.QueryStringDecoder(request.uri());
        var values = decoder.parameters().get("percent");
        int percent;
        try {
            percent = values == null ? -1 : Integer.parseInt(values.getFirst());
        } catch (NumberFormatException e) {
            percent = -1;
        }
        if (percent < 0 || percent > 100) {
            return send(response, HttpResponseStatus.BAD_REQUEST, Map.of("error", "percent must be 0..100"));
        }
        outagePercent.set(percent);
        return send(response, HttpResponseStatus.OK, Map.of("percent", percent));
    }

    private Publisher<Void> send(HttpServerResponse response, HttpResponseStatus status, Map<String, ?> body) {
        byte[] bytes = json.writeValueAsBytes(body);
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, JSON)
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes));
    }
}
