package io.tollgate.monitor;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * An optional third source of availability: a Prometheus (or compatible, e.g. a cloud provider's managed
 * Prometheus) that scrapes the provider's own metrics. Both queries are evaluated at the window's end; in them
 * {@code {listing}} is replaced by the listing's slug and {@code {window}} by the window's length in seconds with an
 * {@code s} (a PromQL range), e.g. {@code sum(increase(http_server_requests_seconds_count{job="{listing}",
 * status!~"5.."}[{window}]))}.
 *
 * @param url the server's base URL; none: the source is off
 * @param goodQuery how many requests succeeded in the window
 * @param totalQuery how many requests counted in the window (consumer errors excluded)
 */
@Validated
@ConfigurationProperties("tollgate.monitor.prometheus")
public record PrometheusProperties(URI url, String goodQuery, String totalQuery) {
    public boolean enabled() {
        return url != null;
    }
}
