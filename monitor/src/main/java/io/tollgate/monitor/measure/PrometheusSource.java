package io.tollgate.monitor.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Availability from a Prometheus-compatible server (the provider's or a cloud provider's metrics): two instant
 * queries at the window's end, {@code good} and {@code total}, with {@code {listing}} and {@code {window}} replaced.
 * Prometheus answers sample values as decimal strings (increase() extrapolates, so they may have fractions): each is
 * rounded to the nearest whole count. An empty result is "nothing seen".
 */
public final class PrometheusSource implements AvailabilitySource {
    private final HttpClient http;
    private final URI server;
    private final String goodQuery;
    private final String totalQuery;
    private final ObjectMapper json = JsonMapper.builder().build();

    public PrometheusSource(HttpClient http, URI server, String goodQuery, String totalQuery) {
        this.http = http;
        this.server = server;
        this.goodQuery = goodQuery;
        this.totalQuery = totalQuery;
    }

    @Override
    public Optional<Observation> observe(String listing, Instant from, Instant to) {
        String window = Duration.between(from, to).toSeconds() + "s";
        Optional<Long> total = value(totalQuery, listing, window, to);
        if (total.isEmpty() || total.get() == 0) {
            return Optional.empty();
        }
        long good = value(goodQuery, listing, window, to).orElse(0L);
        return Optional.of(new Observation("prometheus", Math.min(good, total.get()), total.get()));
    }

    private Optional<Long> value(String template, String listing, String window, Instant at) {
        String query = template.replace("{listing}", listing).replace("{window}", window);
        URI uri = URI.create(server.toString().replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + at.getEpochSecond());
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus at " + server + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        JsonNode body = json.readTree(response.body());
        if (response.statusCode() != 200
                || !"success".equals(body.path("status").asString())) {
            throw new IllegalStateException("Prometheus refused " + query + ": " + response.statusCode() + " "
                    + body.path("error").asString(""));
        }
        JsonNode result = body.path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return Optional.empty();
        }
        String sample = result.get(0).path("value").get(1).asString();
        return Optional.of(
                new BigDecimal(sample).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }
}
