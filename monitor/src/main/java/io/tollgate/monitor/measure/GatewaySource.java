package io.tollgate.monitor.measure;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

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
    private final JdbcTemplate jdbc;

    public GatewaySource(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Observation> observe(String listing, Instant from, Instant to) {
        return jdbc.queryForObject(
                """
                select coalesce(sum(status_2xx + status_3xx), 0), coalesce(sum(status_2xx + status_3xx + status_5xx + status_other), 0)
                from gateway_usage_minute where listing_id = ? and minute >= ? and minute + interval '1 minute' <= ?""",
                (rs, n) -> rs.getLong(2) == 0
                        ? Optional.empty()
                        : Optional.of(new Observation("gateway", rs.getLong(1), rs.getLong(2))),
                listing,
                Timestamp.from(from),
                Timestamp.from(to));
    }
}
