package io.tollgate.monitor.measure;

import java.time.Instant;
import java.util.Optional;

/**
 * One source of a listing's availability. Implementations: the monitor's own probes, the gateways' observations
 * of paid requests, and (optional) a Prometheus query.
 */
public interface AvailabilitySource {

    /**
     * What the source saw of {@code listing} in {@code [from, to)}; empty when it saw nothing there (no events) —
     * a source that cannot be asked throws.
     */
    Optional<Observation> observe(String listing, Instant from, Instant to);
}
