package io.tollgate.examples.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The attacker knows the upstream's address and calls it straight, skipping the gateway (and payment). */
class UpstreamSecretTest {
    private static final String SECRET = "5e".repeat(32);
    private final HttpClient http = HttpClient.newHttpClient();
    private ExampleUpstream upstream;

    @BeforeEach
    void start() {
        upstream = ExampleUpstream.start("127.0.0.1", 0, SECRET);
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private HttpResponse<String> get(String path, String secret) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path));
        if (secret != null) {
            request.header(ExampleUpstream.SECRET_HEADER, secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestStraightToTheUpstreamWithoutTheGatewaysSecretIsRefused() throws Exception {
        for (String path :
                new String[] {"/weather/berlin", "/quotes/acme", "/fx/rates/eurusd", "/fx/history/eurusd", "/headers"
                }) {
            var response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.body()).contains("Tollgate-Upstream-Secret");
        }
        assertThat(get("/weather/berlin", "5e".repeat(31) + "5f").statusCode()).isEqualTo(401);
        assertThat(get("/weather/berlin", "").statusCode()).isEqualTo(401);
        assertThat(upstream.served()).isZero();
    }

    @Test
    void withTheSecretItServesAndMonitorsStillProbe() throws Exception {
        assertThat(get("/weather/berlin", SECRET).statusCode()).isEqualTo(200);
        assertThat(get("/probe", null).statusCode()).isEqualTo(200);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }
}
