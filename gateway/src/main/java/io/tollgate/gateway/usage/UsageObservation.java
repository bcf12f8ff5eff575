package io.tollgate.gateway.usage;

import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;

/**
 * One paid request as forwarded: who paid, what it was worth, how the upstream answered and how fast (the
 * SLA observation). {@code origin} is the channel whose consumer's traffic started the chain of calls (from the
 * {@code Tollgate-Origin} header; the paying channel itself for a direct call).
 */
public record UsageObservation(
        Instant at,
        String listing,
        String channel,
        String origin,
        long epoch,
        int category,
        Wei value,
        int status,
        Duration latency) {}
