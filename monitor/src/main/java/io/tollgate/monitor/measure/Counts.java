package io.tollgate.monitor.measure;

import java.util.Optional;

/** Good and total events summed over a window, as a source's query returns them (columns {@code good, total}). */
record Counts(long good, long total) {

    /** What {@code source} observed: these counts, or nothing when it counted no event at all. */
    Optional<Observation> observation(String source) {
        return total == 0 ? Optional.empty() : Optional.of(new Observation(source, good, total));
    }
}
