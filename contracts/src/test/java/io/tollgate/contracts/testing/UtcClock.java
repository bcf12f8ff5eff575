package io.tollgate.contracts.testing;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The test clocks' common part: in UTC, whatever zone is asked for. */
abstract class UtcClock extends Clock {
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
