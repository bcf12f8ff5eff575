package io.tollgate.gateway.usage;

import io.tollgate.settings.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how usage observations are written. Without {@code jdbcUrl} (and without
 * {@code spring.datasource.url}, which it falls back to) usage is only counted in metrics.
 *
 * @param jdbcUrl the PostgreSQL database holding {@code gateway_usage_minute}
 * @param flushInterval how often buffered observations are written
 * @param bufferCapacity observations buffered at most; beyond it they are dropped and counted
 *     ({@code tollgate.usage.dropped}) rather than slowing requests
 */
@Validated
@ConfigurationProperties("tollgate.gateway.usage")
public record UsageProperties(
        @Nullable String jdbcUrl,
        @Nullable String username,
        @Nullable Secret password,
        @DefaultValue("2s") Duration flushInterval,
        @DefaultValue("100000") @Min(100) @Max(10_000_000) int bufferCapacity) {}
