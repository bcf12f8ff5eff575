package io.tollgate.gateway.usage;

import java.util.Optional;
import javax.sql.DataSource;

/**
 * The gateway's PostgreSQL (usage records, redemption journal) when one is configured
 * ({@code tollgate.gateway.usage.jdbc-url}, else {@code spring.datasource.url}); the gateway runs without one.
 */
public record GatewayDatabase(Optional<DataSource> dataSource) implements AutoCloseable {

    /** Closes the connection pool, if there is one. */
    @Override
    public void close() throws Exception {
        if (dataSource.isPresent() && dataSource.get() instanceof AutoCloseable pool) {
            pool.close();
        }
    }
}
