package io.tollgate.monitor;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The monitor tests' own database on the machine's PostgreSQL, recreated once per test run and migrated with the
 * repository's {@code db/migrations}: {@code tollgate_monitor_test}, or {@code <name>_monitor} with
 * {@code -Dtollgate.test.database=<name>} (so that two checkouts can run side by side).
 */
final class TestDatabase {
    static final String NAME = System.getProperty("tollgate.test.database") == null
            ? "tollgate_monitor_test"
            : System.getProperty("tollgate.test.database") + "_monitor";
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + NAME;
    private static PGSimpleDataSource dataSource;

    private TestDatabase() {}

    static synchronized PGSimpleDataSource migrated() {
        if (dataSource != null) {
            return dataSource;
        }
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + NAME);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the tests", e);
        }
        var ds = new PGSimpleDataSource();
        ds.setUrl(URL);
        ds.setUser("postgres");
        String root = System.getProperty(
                "tollgate.root", Path.of("..").toAbsolutePath().normalize().toString());
        Flyway.configure()
                .dataSource(ds)
                .locations("filesystem:" + Path.of(root, "db", "migrations"))
                .load()
                .migrate();
        dataSource = ds;
        return ds;
    }

    static JdbcTemplate jdbc() {
        return new JdbcTemplate(migrated());
    }

    /**
     * The database as a test class that starts its own chain needs it: each class deploys from the same test key
     * on a fresh anvil, so its channels have the addresses an earlier class's channels had, and the probes, reports
     * and submissions that class left would count as this one's (a window "already reported" was skipped).
     */
    static JdbcTemplate forAFreshChain() {
        var jdbc = jdbc();
        jdbc.execute("delete from sla_submission");
        jdbc.execute("delete from sla_report");
        jdbc.execute("delete from sla_probe_second");
        jdbc.execute("delete from gateway_usage_minute");
        return jdbc;
    }
}
