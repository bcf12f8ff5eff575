package io.tollgate.monitor.measure;

import java.util.List;

/** A window's measurement: an availability to sign, or the reason there is none. */
public sealed interface Measurement {

    /**
     * The window's availability: the lowest of its sources' (each {@code floor(10 000 × good / total)}).
     *
     * @param observations what each source that saw anything saw
     */
    record Measured(int availabilityBps, List<Observation> observations) implements Measurement {}

    /** This monitor did not probe in the window (it was down, or not yet watching): it signs nothing. */
    record NotObserved(String why) implements Measurement {}
}
