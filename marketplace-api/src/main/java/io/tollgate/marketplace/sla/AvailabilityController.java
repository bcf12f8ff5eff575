package io.tollgate.marketplace.sla;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A listing's availability as the gateways measured it on paid requests over the last hours: the request
 * success ratio {@code (2xx + 3xx) / (all - 4xx)}, consumer-caused 4xx excluded; null when nothing was measured.
 */
@RestController
class AvailabilityController {
    record Availability(
            String listing,
            int hours,
            long requests,
            long succeeded,
            long consumerErrors,
            long failed,
            Integer availabilityBps) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    AvailabilityController(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping("/api/listings/{slug}/availability")
    @Transactional(readOnly = true)
    Availability availability(@PathVariable String slug, @RequestParam(defaultValue = "24") int hours) {
        if (hours < 1 || hours > 24 * 90) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "hours must be between 1 and 2160, not " + hours,
                    Map.of("hours", hours));
        }
        Integer listed = jdbc.queryForObject("select count(*) from listing where slug = ?", Integer.class, slug);
        if (listed == null || listed == 0) {
            throw new ApiProblem(
                    ProblemType.NOT_FOUND,
                    "no listing '" + slug + "': GET /api/listings lists them",
                    Map.of("listing", slug));
        }
        return jdbc.queryForObject(
                """
                select coalesce(sum(requests), 0), coalesce(sum(status_2xx + status_3xx), 0), coalesce(sum(status_4xx), 0),
                       coalesce(sum(status_5xx + status_other), 0)
                from gateway_usage_minute where listing_id = ? and minute >= ?""",
                (rs, n) -> {
                    long requests = rs.getLong(1);
                    long ok = rs.getLong(2);
                    long consumer = rs.getLong(3);
                    long failed = rs.getLong(4);
                    long counted = requests - consumer;
                    return new Availability(
                            slug,
                            hours,
                            requests,
                            ok,
                            consumer,
                            failed,
                            counted <= 0 ? null : (int) (ok * 10_000 / counted));
                },
                slug,
                Timestamp.from(clock.instant().minus(Duration.ofHours(hours))));
    }
}
