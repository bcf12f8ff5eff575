package io.tollgate.contracts.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The wall clock plus however far the test moved the chain's ({@link AnvilNode#increaseTime}): a component's
 * "now" that keeps up with anvil's block timestamps.
 */
public final class ChainClock extends UtcClock {
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    /** Moves this clock forward; the caller moves the chain by as much. */
    public void advance(Duration by) {
        ahead.updateAndGet(d -> d.plus(by));
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead.get());
    }
}
