package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.pricing.Wei;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Arbitrary request headers against a running gateway, byte for byte over a socket: whatever a client puts in
 * {@code Payment-Voucher}, {@code Payment-Channel} or {@code Tollgate-Origin}, the answer is a refusal (4xx,
 * never a 5xx, never served unpaid) and, when the gateway's filters saw the request, a problem+json of the one
 * shape. A refusal without a problem body is Netty's own 400 for bytes HTTP does not allow in a header.
 */
class GatewayFuzzTest {

    private static final Wei PRICE = Wei.of(1000);
    private static final StaticChannel CHANNEL = StaticChannel.fresh(PRICE, PRICE.times(1_000_000));
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final AtomicLong counts = new AtomicLong(1);

    private static CountingUpstream upstream;
    private static InProcessGateway gateway;

    @BeforeContainer
    static void start() {
        upstream = CountingUpstream.start();
        // Netty logs each header it refuses at WARN: quiet here, hundreds are refused on purpose
        gateway = InProcessGateway.start(
                upstream.baseUrl(),
                java.util.List.of(CHANNEL),
                "--logging.level.reactor.netty.http.server.HttpServerOperations=ERROR");
    }

    @AfterContainer
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Provide
    Arbitrary<byte[]> headerValues() {
        // any byte but CR and LF (those would end the header line: another test's business)
        var anyByte = Arbitraries.bytes().filter(b -> b != '\r' && b != '\n');
        var printable = Arbitraries.strings()
                .ascii()
                .ofMaxLength(400)
                .map(s -> s.replace("\r", "").replace("\n", "").getBytes(StandardCharsets.ISO_8859_1));
        var base64ish = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
                .ofMinLength(170)
                .ofMaxLength(190)
                .map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.oneOf(anyByte.array(byte[].class).ofMaxSize(400), printable, base64ish);
    }

    /** The response is a clean refusal: never 2xx, never 5xx; a problem of the one shape when it is one. */
    private static RawHttp.Response assertRefusedCleanly(RawHttp.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        if (response.isProblem()) {
            JsonNode body = json.readTree(response.body());
            assertThat(body.path("type").asString()).startsWith("https://tollgate.dev/problems/");
            assertThat(body.path("status").asInt()).isEqualTo(response.status());
            assertThat(body.path("title").asString()).isNotBlank();
            assertThat(response.header("cache-control")).isEqualTo("no-store");
        } else {
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.body()).as("Netty's own refusal has no body").isEmpty();
        }
        return response;
    }

    @Property(tries = 300)
    void anyVoucherHeaderIsRefusedCleanly(@ForAll("headerValues") byte[] value) {
        long before = upstream.total();
        assertRefusedCleanly(RawHttp.get(gateway.port(), "/paid/answer", "Payment-Voucher", value));
        assertThat(upstream.total()).isEqualTo(before);
    }

    @Property(tries = 200)
    void anyChannelHintOnAnUnpaidRequestGetsThe402(@ForAll("headerValues") byte[] value) {
        var response = assertRefusedCleanly(RawHttp.get(gateway.port(), "/paid/answer", "Payment-Channel", value));
        if (response.isProblem()) {
            assertThat(response.status()).isEqualTo(402);
        }
    }

    @Property(tries = 200)
    void aChangedVoucherIsNeverServed(
            @ForAll @IntRange(min = 0, max = 134) int position, @ForAll @IntRange(min = 1, max = 255) int flip) {
        // a fresh count each time, so that the unchanged voucher would be accepted
        byte[] signed = Base64.getUrlDecoder().decode(CHANNEL.voucher(counts.getAndIncrement()));
        byte[] changed = Arrays.copyOf(signed, signed.length);
        changed[position] ^= (byte) flip;
        long before = upstream.total();
        assertRefusedCleanly(RawHttp.get(
                gateway.port(),
                "/paid/answer",
                "Payment-Voucher",
                Base64.getUrlEncoder().withoutPadding().encodeToString(changed).getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(upstream.total()).isEqualTo(before);
    }

    @Property(tries = 200)
    void anyOriginAPayingCallerSendsIsForwardedAsAnAddressOrRefusedByNetty(@ForAll("headerValues") byte[] value) {
        var response = RawHttp.get(
                gateway.port(),
                "/paid/answer",
                "Tollgate-Origin",
                value,
                "Payment-Voucher",
                CHANNEL.voucher(counts.getAndIncrement()));
        if (response.status() == 200) {
            assertThat(response.header("seen-origin")).matches("0x[0-9a-f]{40}");
        } else {
            assertRefusedCleanly(response);
        }
    }
}
