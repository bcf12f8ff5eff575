package io.tollgate.demo.postgres;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL started when no {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where its data lives; kept across restarts
 * @param port the port it listens on; 0: a free one (set it when a gateway shares the database, as in the demo)
 */
@ConfigurationProperties("tollgate.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue(".tollgate/postgres") Path dataDirectory,
        @DefaultValue("0") int port) {}
