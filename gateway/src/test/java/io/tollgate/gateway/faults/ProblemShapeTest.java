package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.pricing.Wei;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every way the gateway says no, reached over HTTP, answers RFC 9457 {@code application/problem+json} of one
 * shape: {@code type} under the configured base, a {@code title}, {@code status} equal to the HTTP status, a
 * {@code detail}, the {@code instance} path, and {@code Cache-Control: no-store}. That includes what is not a
 * payment problem: no route, a dead or hanging upstream, a Redis that is away.
 */
class ProblemShapeTest {

    private static final String BASE = "https://tollgate.dev/problems/";
    private static final Wei PRICE = Wei.of(1000);
    private static final StaticChannel FUNDED = StaticChannel.fresh(PRICE, PRICE.times(1_000_000));
    private static final StaticChannel UNFUNDED = StaticChannel.fresh(PRICE, Wei.ZERO);
    private static final StaticChannel FOREIGN = FUNDED.payingAnotherProvider();
    private static final JsonMapper json = JsonMapper.builder().build();

    private static CountingUpstream upstream;
    private static InProcessGateway gateway;
    private static InProcessGateway withoutRedis;

    @BeforeAll
    static void start() {
        upstream = CountingUpstream.start();
        var routes = new ArrayList<String>();
        route(routes, 2, "wrong-category", "/category1/**", upstream.baseUrl(), "Payment=faults, 1");
        route(routes, 3, "no-listing", "/nolisting/**", upstream.baseUrl(), "Payment=nolisting, 0");
        route(routes, 4, "dead", "/dead/**", "http://127.0.0.1:1", "Payment=faults, 0");
        route(routes, 5, "hang", "/hang/**", upstream.baseUrl(), "Payment=faults, 0");
        routes.add("--spring.cloud.gateway.server.webflux.routes[5].metadata.response-timeout=1000");
        gateway = InProcessGateway.start(
                upstream.baseUrl(), List.of(FUNDED, UNFUNDED, FOREIGN), routes.toArray(String[]::new));
        withoutRedis = InProcessGateway.start(
                upstream.baseUrl(),
                List.of(FUNDED),
                "--spring.data.redis.port=" + GatewayProcess.freePort(),
                "--spring.data.redis.timeout=1s");
    }

    static void route(List<String> args, int index, String id, String path, String uri, String payment) {
        String at = "--spring.cloud.gateway.server.webflux.routes[" + index + "].";
        args.addAll(List.of(
                at + "id=" + id,
                at + "uri=" + uri,
                at + "predicates[0]=Path=" + path,
                at + "filters[0]=" + payment,
                at + "filters[1]=StripPrefix=1"));
    }

    @AfterAll
    static void stop() {
        withoutRedis.close();
        gateway.close();
        upstream.close();
    }

    private static RawHttp.Response get(InProcessGateway on, String path, String voucher) {
        return RawHttp.get(on.port(), path, "Payment-Voucher", voucher.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static RawHttp.Response getWithoutVoucher(String path) {
        return RawHttp.get(gateway.port(), path, "Accept", "*/*".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Asserts the shape and returns the body. */
    static JsonNode assertProblem(RawHttp.Response response, int status, String slug, String path) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.header("cache-control")).isEqualTo("no-store");
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("type").asString()).isEqualTo(BASE + slug);
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("detail").isString()).isTrue();
        assertThat(body.path("instance").asString()).isEqualTo(path);
        return body;
    }

    @Test
    void everyRefusalIsAProblemOfOneShape() {
        assertProblem(getWithoutVoucher("/paid/answer"), 402, "payment-required", "/paid/answer");
        assertProblem(get(gateway, "/paid/answer", "not a voucher"), 400, "voucher-malformed", "/paid/answer");
        assertProblem(
                get(gateway, "/category1/answer", FUNDED.voucher(1)),
                400,
                "voucher-wrong-category",
                "/category1/answer");
        assertProblem(
                get(
                        gateway,
                        "/category1/answer",
                        FUNDED.voucher(1, 1, 1, FUNDED.terms().priceTableHash())),
                403,
                "category-not-priced",
                "/category1/answer");
        assertProblem(
                get(gateway, "/paid/answer", StaticChannel.fresh(PRICE, PRICE).voucher(1)),
                403,
                "channel-unknown",
                "/paid/answer");
        assertProblem(get(gateway, "/paid/answer", FOREIGN.voucher(1)), 403, "channel-wrong-listing", "/paid/answer");
        assertProblem(
                get(gateway, "/paid/answer", otherSigner(FUNDED.voucher(1))),
                403,
                "voucher-signature-invalid",
                "/paid/answer");
        assertProblem(
                get(gateway, "/paid/answer", FUNDED.voucher(1, 0, 1, new byte[32])),
                409,
                "price-table-stale",
                "/paid/answer");
        assertProblem(
                get(
                        gateway,
                        "/paid/answer",
                        FUNDED.voucher(2, 0, 1, FUNDED.terms().priceTableHash())),
                409,
                "epoch-unknown",
                "/paid/answer");
        assertThat(get(gateway, "/paid/answer", FUNDED.voucher(1)).status()).isEqualTo(200);
        assertProblem(get(gateway, "/paid/answer", FUNDED.voucher(1)), 409, "voucher-replayed", "/paid/answer");
        assertProblem(get(gateway, "/paid/answer", UNFUNDED.voucher(1)), 402, "payment-insufficient", "/paid/answer");
        assertProblem(
                get(gateway, "/nolisting/answer", FUNDED.voucher(2)), 503, "listing-unknown", "/nolisting/answer");
        assertProblem(get(withoutRedis, "/paid/answer", FUNDED.voucher(3)), 503, "payment-unavailable", "/paid/answer");
    }

    @Test
    void whatIsNotAPaymentProblemIsAProblemToo() {
        assertProblem(getWithoutVoucher("/nowhere"), 404, "not-found", "/nowhere");
        var dead = get(gateway, "/dead/answer", FUNDED.voucher(100));
        assertProblem(dead, 502, "upstream-unavailable", "/dead/answer");
        assertThat(dead.header("payment-accepted-count"))
                .as("the count was charged")
                .isEqualTo("100");
        var hung = get(gateway, "/hang/hang", FUNDED.voucher(101));
        assertProblem(hung, 504, "upstream-timeout", "/hang/hang");
        assertThat(hung.header("payment-accepted-count")).isEqualTo("101");
    }

    /** The same voucher with its v byte flipped: it recovers to another address. */
    private static String otherSigner(String voucher) {
        byte[] bytes = Base64.getUrlDecoder().decode(voucher);
        byte[] changed = Arrays.copyOf(bytes, bytes.length);
        changed[bytes.length - 1] = (byte) (bytes[bytes.length - 1] == 27 ? 28 : 27);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
    }
}
