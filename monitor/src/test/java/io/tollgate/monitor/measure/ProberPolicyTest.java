package io.tollgate.monitor.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.upstream.UpstreamPolicy;
import io.tollgate.upstream.UpstreamRefusedException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attacker is a provider whose listing's probe URL points at an internal service: the monitor would send a blind
 * GET to it on every tick. With the production policy the probe is not sent at all.
 */
class ProberPolicyTest {
    private HttpServer internal;
    private final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.getResponseHeaders()
                    .add("X-Host", exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        internal.start();
    }

    @AfterEach
    void stop() {
        internal.stop(0);
    }

    private Prober prober(UpstreamPolicy policy) {
        return new Prober(policy, null, "test", Duration.ofSeconds(5), Clock.systemUTC());
    }

    @Test
    void aProbeOfARefusedAddressIsNotSent() {
        int port = internal.getAddress().getPort();
        var strict = prober(UpstreamPolicy.strict());
        for (String url : List.of(
                "http://127.0.0.1:" + port + "/probe",
                "http://localhost:" + port + "/probe",
                "http://[::ffff:127.0.0.1]:" + port + "/probe",
                "http://169.254.169.254/latest/meta-data/",
                "http://user:pw@127.0.0.1:" + port + "/probe")) {
            assertThatThrownBy(() -> strict.get(URI.create(url))).as(url).isInstanceOf(UpstreamRefusedException.class);
        }
        assertThat(hits.get()).as("nothing reached the internal service").isZero();
    }

    @Test
    void anAllowedAddressIsProbedWithTheUrlsHost() throws Exception {
        int port = internal.getAddress().getPort();
        var allowed = prober(UpstreamPolicy.of(List.of("127.0.0.0/8", "::1/128"), List.of()));
        assertThat(allowed.get(URI.create("http://127.0.0.1:" + port + "/probe")))
                .isEqualTo(204);
        assertThat(allowed.get(URI.create("http://localhost:" + port + "/probe?x=1")))
                .isEqualTo(204);
        assertThat(hits.get()).isEqualTo(2);
    }
}
