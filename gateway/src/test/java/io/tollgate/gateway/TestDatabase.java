package io.tollgate.gateway;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The gateway tests' own database {@code tollgate_gateway_test} on the machine's PostgreSQL, or {@code
 * <name>_gateway} with {@code -Dtollgate.test.database=<name>} (so that two checkouts with different migrations can
 * run side by side), created on demand through {@code test} and migrated with the repository's {@code
 * db/migrations}. It is throwaway: when a migration it was built with has changed, it is dropped and built again.
 */
public final class TestDatabase {

    static final String NAME = System.getProperty("tollgate.test.database") == null
            ? "tollgate_gateway_test"
            : System.getProperty("tollgate.test.database") + "_gateway";
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + NAME;
    private static PGSimpleDataSource dataSource;

    private TestDatabase() {}

    public static synchronized PGSimpleDataSource migrated() {
        if (dataSource != null) {
            return dataSource;
        }
        admin(false);
        var ds = new PGSimpleDataSource();
        ds.setUrl(URL);
        ds.setUser("postgres");
        String root = System.getProperty(
                "tollgate.root", Path.of("..").toAbsolutePath().normalize().toString());
        var flyway = Flyway.configure()
                .dataSource(ds)
                .locations("filesystem:" + Path.of(root, "db", "migrations"))
                .load();
        try {
            flyway.migrate();
        } catch (FlywayValidateException e) {
            admin(true);
            flyway.migrate();
        }
        dataSource = ds;
        return ds;
    }

    private static void admin(boolean recreate) {
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
            if (recreate) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            }
            try (var exists = connection
                    .prepareStatement("SELECT 1 FROM pg_database WHERE datname = '" + NAME + "'")
                    .executeQuery()) {
                if (!exists.next()) {
                    connection.createStatement().execute("CREATE DATABASE " + NAME);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
