package io.tollgate.contracts.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand (no sleeps): set, or advanced; in UTC. */
public final class TestClock extends UtcClock {
    private final AtomicReference<Instant> now;

    /** A clock at 2026-01-01T00:00:00Z. */
    public TestClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public TestClock(Instant now) {
        this.now = new AtomicReference<>(now);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public void advance(Duration by) {
        now.updateAndGet(i -> i.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
