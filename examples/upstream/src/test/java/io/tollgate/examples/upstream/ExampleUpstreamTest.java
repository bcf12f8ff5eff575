package io.tollgate.examples.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExampleUpstreamTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private ExampleUpstream upstream;

    @BeforeEach
    void start() {
        upstream = ExampleUpstream.start(0);
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void answersWeatherForTheCityAsked() throws Exception {
        var response = get("/weather/Berlin");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).contains("\"city\":\"berlin\"").contains("temperatureC");
    }

    @Test
    void echoesRequestHeaders() throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/headers"))
                        .header("Tollgate-Origin", "0xabc")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("\"tollgate-origin\":\"0xabc\"");
    }

    @Test
    void quotesPricesAsDecimalStrings() throws Exception {
        var response = get("/quotes/acme");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"symbol\":\"ACME\"").containsPattern("\"price\":\"\\d+\\.\\d{2}\"");
    }

    @Test
    void givesExchangeRatesAndTheirWeekAsDecimalStrings() throws Exception {
        var rate = get("/fx/rates/eurusd");
        assertThat(rate.statusCode()).isEqualTo(200);
        assertThat(rate.body()).contains("\"pair\":\"EURUSD\"").containsPattern("\"rate\":\"\\d+\\.\\d{4}\"");
        var history = get("/fx/history/eurusd");
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body()).contains("\"days\":7").containsPattern("\"rates\":\\[(\"\\d+\\.\\d{4}\",?){7}]");
    }

    @Test
    void translatesPostedText() throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/translate"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"abc\",\"to\":\"de\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"text\":\"cba\"").contains("\"to\":\"de\"");
    }

    @Test
    void refusesATranslationBodyThatIsNotJson() throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/translate"))
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void outageSwitchFailsExactlyTheConfiguredShareWhileHealthStaysUp() throws Exception {
        var switched = http.send(
                HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/admin/outage?percent=30"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(switched.statusCode()).isEqualTo(200);

        long unavailable = IntStream.range(0, 100)
                .map(i -> status("/probe"))
                .filter(s -> s == 503)
                .count();
        assertThat(unavailable).isEqualTo(30);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/admin/outage").body()).contains("\"percent\":30");

        upstream.outagePercent(0);
        assertThat(get("/probe").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAnOutageShareAboveOneHundred() throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/admin/outage?percent=101"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
