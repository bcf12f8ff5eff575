package io.tollgate.monitor.measure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A listing's availability in a window, from the monitor's probes and its other sources: the lowest availability
 * any source saw. A monitor vouches only for windows it probed: without a probe of its own in the window there is
 * no measurement, whatever the other sources saw.
 */
public final class WindowMeasure {
    private final ProbeSource probes;
    private final List<AvailabilitySource> others;

    public WindowMeasure(ProbeSource probes, List<AvailabilitySource> others) {
        this.probes = probes;
        this.others = List.copyOf(others);
    }

    public Measurement measure(String listing, Instant from, Instant to) {
        Optional<Observation> probed = probes.observe(listing, from, to);
        if (probed.isEmpty()) {
            return new Measurement.NotObserved("no probe of " + listing + " in [" + from + ", " + to + ")");
        }
        List<Observation> seen = new ArrayList<>(List.of(probed.get()));
        for (AvailabilitySource source : others) {
            source.observe(listing, from, to).ifPresent(seen::add);
        }
        int lowest = seen.stream().mapToInt(Observation::availabilityBps).min().orElseThrow();
        return new Measurement.Measured(lowest, List.copyOf(seen));
    }
}
