package io.tollgate.monitor.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The marketplace's monitor feed, {@code GET /api/sla/monitoring}: active subscriptions' channels with SLA terms
 * and probe URLs, read with the monitor credential (never logged).
 */
public final class MarketplaceFeed implements ChannelFeed {
    private final HttpClient http;
    private final URI feed;
    private final String credential;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public MarketplaceFeed(HttpClient http, URI marketplace, String credential) {
        this.http = http;
        this.feed = marketplace.resolve("/api/sla/monitoring");
        this.credential = credential;
    }

    @Override
    public List<Entry> entries() {
        HttpResponse<String> response;
        try {
            var request =
                    HttpRequest.newBuilder(feed).timeout(Duration.ofSeconds(10)).header("Accept", "application/json");
            if (!credential.isEmpty()) {
                request.header("Authorization", "Bearer " + credential);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the marketplace's feed " + feed + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + feed, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the marketplace's feed " + feed + " answered " + response.statusCode()
                    + (response.statusCode() == 401
                            ? ": set tollgate.monitor.marketplace-credential to the "
                                    + "marketplace's tollgate.monitors.credential"
                            : ""));
        }
        return json.readValue(response.body(), new TypeReference<List<Entry>>() {}).stream()
                .map(e -> new Entry(e.channel().toLowerCase(Locale.ROOT), e.listing(), e.probeUrl()))
                .toList();
    }

    @Override
    public String toString() {
        return "MarketplaceFeed[" + feed + "]";
    }
}
