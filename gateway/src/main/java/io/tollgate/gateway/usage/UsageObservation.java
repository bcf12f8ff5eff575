package io.tollgate.gateway.usage;

import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;

/**
 * One paid request as forwarded: who paid, what it was worth, how the upstream answered and how fast (the
 * SLA observation).
 */
public record UsageObservation(
        Instant at,
        String listing,
        String channel,
        long epoch,
        int category,
        Wei value,
        int status,
        Duration latency) {}
