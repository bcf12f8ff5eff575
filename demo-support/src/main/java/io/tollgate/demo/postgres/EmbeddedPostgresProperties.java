package io.tollgate.demo.postgres;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded PostgreSQL started when no {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where its data lives; kept across restarts
 * @param port the port it listens on; 0: a free one (set it when a gateway shares the database, as in the demo)
 */
@Validated
@ConfigurationProperties("tollgate.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue(".tollgate/postgres") @NotNull Path dataDirectory,
        @DefaultValue("0") @Min(0) @Max(65535) int port) {}
