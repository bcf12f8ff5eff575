package io.tollgate.monitor.measure;

/**
 * What one source saw of a listing in a window: how many of the events that count succeeded.
 *
 * @param source {@code probes}, {@code gateway} or {@code prometheus}
 * @param good events that succeeded
 * @param total events that count (never below {@code good})
 */
public record Observation(String source, long good, long total) {
    public Observation {
        if (good < 0 || total < good) {
            throw new IllegalArgumentException("0 <= good <= total, not " + good + " of " + total);
        }
    }

    /** {@code floor(10 000 × good / total)}; only for {@code total > 0}. */
    public int availabilityBps() {
        return (int) Math.floorDiv(Math.multiplyExact(good, 10_000L), total);
    }
}
