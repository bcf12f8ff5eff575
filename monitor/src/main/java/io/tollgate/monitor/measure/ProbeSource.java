package io.tollgate.monitor.measure;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * This process's own probes of a listing ({@code sla_probe_second}): successful probes over probes sent in the
 * window, to the second.
 */
public final class ProbeSource implements AvailabilitySource {
    private final JdbcClient jdbc;
    private final String prober;

    public ProbeSource(JdbcClient jdbc, String prober) {
        this.jdbc = jdbc;
        this.prober = prober;
    }

    @Override
    public Optional<Observation> observe(String listing, Instant from, Instant to) {
        return jdbc.sql("""
                        select coalesce(sum(ok), 0) as good, coalesce(sum(sent), 0) as total from sla_probe_second
                        where prober = ? and listing_id = ? and sent_second >= ? and sent_second < ?""")
                .params(prober, listing, Timestamp.from(from), Timestamp.from(to))
                .query(Counts.class)
                .single()
                .observation("probes");
    }
}
