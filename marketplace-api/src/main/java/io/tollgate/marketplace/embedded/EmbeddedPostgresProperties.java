package io.tollgate.marketplace.embedded;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL started when no {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where its data lives; kept across restarts
 */
@ConfigurationProperties("tollgate.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue(".tollgate/postgres") Path dataDirectory) {}
