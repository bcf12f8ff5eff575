package io.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.monitor.measure.Observation;
import io.tollgate.monitor.measure.PrometheusSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The optional Prometheus source against a server speaking Prometheus's HTTP API (a stub: we do not run one). */
class PrometheusSourceTest {
    static final StubServer server = new StubServer();
    static final HttpClient http = HttpClient.newHttpClient();
    static final Instant FROM = Instant.parse("2031-03-01T10:00:00Z");
    static final Instant TO = FROM.plusSeconds(300);

    @AfterAll
    static void stop() {
        server.close();
        http.close();
    }

    static String vector(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\""
                + value + "\"]}]}}";
    }

    PrometheusSource source() {
        return new PrometheusSource(
                http,
                URI.create(server.url() + "/"),
                "sum(increase(http_requests_total{service=\"{listing}\",code!~\"5..\"}[{window}]))",
                "sum(increase(http_requests_total{service=\"{listing}\",code!~\"4..\"}[{window}]))");
    }

    @Test
    void asksBothQueriesAtTheWindowsEndOverItsLengthAndRoundsExtrapolatedCounts() {
        server.answer(query -> query.contains("5..") ? vector("949.6") : vector("1000.2"));
        assertThat(source().observe("weather", FROM, TO)).contains(new Observation("prometheus", 950, 1000));
        assertThat(server.queries)
                .contains("query=sum(increase(http_requests_total{service=\"weather\",code!~\"5..\"}[300s]))&time="
                        + TO.getEpochSecond());
    }

    @Test
    void noSamplesIsNothingSeenAndAnErrorIsNotSwallowed() {
        server.answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(source().observe("weather", FROM, TO)).isEqualTo(Optional.empty());
        server.answer("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");
        assertThatThrownBy(() -> source().observe("weather", FROM, TO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parse error");
    }
}
