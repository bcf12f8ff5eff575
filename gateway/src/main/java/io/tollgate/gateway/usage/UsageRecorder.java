package io.tollgate.gateway.usage;

/**
 * Takes usage observations off the request path. {@link #record} must return at once and never block: an
 * implementation buffers and writes in batches elsewhere.
 */
public interface UsageRecorder {

    void record(UsageObservation observation);
}
