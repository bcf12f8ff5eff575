package io.tollgate.monitor.measure;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * This process's own probes of a listing ({@code sla_probe_second}): successful probes over probes sent in the
 * window, to the second.
 */
public final class ProbeSource implements AvailabilitySource {
    private final JdbcTemplate jdbc;
    private final String prober;

    public ProbeSource(JdbcTemplate jdbc, String prober) {
        this.jdbc = jdbc;
        this.prober = prober;
    }

    @Override
    public Optional<Observation> observe(String listing, Instant from, Instant to) {
        return jdbc.queryForObject(
                """
                select coalesce(sum(ok), 0), coalesce(sum(sent), 0) from sla_probe_second
                where prober = ? and listing_id = ? and sent_second >= ? and sent_second < ?""",
                (rs, n) -> rs.getLong(2) == 0
                        ? Optional.empty()
                        : Optional.of(new Observation("probes", rs.getLong(1), rs.getLong(2))),
                prober,
                listing,
                Timestamp.from(from),
                Timestamp.from(to));
    }
}
