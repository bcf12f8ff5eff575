package io.tollgate.monitor.measure;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gateways' observations of a listing's paid requests ({@code gateway_usage_minute}, summed over every gateway
 * replica and channel): requests answered 2xx or 3xx over all requests except the 4xx ones, which the consumer
 * caused (a missing payment, a bad request). 5xx and answers without a status (timeouts, refused connections)
 * count against the listing.
 *
 * <p>The rows are per minute and a window may start at any second (release 2 starts a channel's windows at its
 * creation): only the minutes wholly inside the window count, so that nothing seen outside it counts in it. The
 * minutes it shares with its neighbours are measured by the probes alone, which are kept per second.
 */
public final class GatewaySource implements AvailabilitySource {
    private final JdbcClient jdbc;

    public GatewaySource(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Observation> observe(String listing, Instant from, Instant to) {
        return jdbc.sql("""
                        select coalesce(sum(status_2xx + status_3xx), 0) as good,
                            coalesce(sum(status_2xx + status_3xx + status_5xx + status_other), 0) as total
                        from gateway_usage_minute where listing_id = ? and minute >= ? and minute + interval '1 minute' <= ?""")
                .params(listing, Timestamp.from(from), Timestamp.from(to))
                .query(Counts.class)
                .single()
                .observation("gateway");
    }
}
