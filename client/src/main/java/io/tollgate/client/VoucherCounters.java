package io.tollgate.client;

/**
 * The cumulative request counters of a consumer's channels, per (channel, epoch, category).
 *
 * <p>Contract: {@link #next} returns a count never returned before for that key, and only after that
 * count is durable. A client that crashes and restarts therefore never signs a count twice (which the
 * gateway would refuse as a replay) and never skips counts (which would pay for requests not made),
 * apart from at most the one count reserved for a request that was in flight at the crash.
 */
public interface VoucherCounters {

    /** Reserves and returns the next count (the first is 1). */
    long next(String channel, long epoch, int category);

    /** The highest count reserved so far, 0 when none. */
    long current(String channel, long epoch, int category);
}
