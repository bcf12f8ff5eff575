package io.tollgate.gateway.economics;

import io.tollgate.gateway.economics.ChannelRun.Mode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Writes {@code docs/economics.md}: what a provider pays to get paid, from the receipts of the scenario of issue
 * 18 run on anvil with the gateway's real ledger and scheduler (see {@link ChannelRun}), for each price-table
 * size, before (release 1) and after (release 2 claims), plus release 2's batch claims ({@link BatchClaims}),
 * and the runs as CSV beside it ({@link RecordedRuns}). Not part of the test suite (its name is no test's):
 * {@code scripts/economics.sh} runs it with {@code -Dtest=EconomicsScenario -Dtollgate.economics.out=…}, and
 * without that property it does nothing. It asserts only what the scenario must satisfy to be worth printing
 * (every voucher accepted, every transaction successful and accounted for, batch claims paying what they
 * claim), nothing about time.
 *
 * <p>{@code tollgate.economics.before}: {@code run} runs the before scenario on this code, {@code reuse} takes the
 * recorded before runs from {@code economics-runs.csv} and {@code economics-transactions.csv} (the code of the old
 * scheduler is gone from later commits), {@code auto} (the default) runs them while the old scheduler is there, {@code skip} leaves them out.
 * {@code tollgate.economics.after}: {@code run}, {@code skip}, or {@code auto} (the default: when the scheduler
 * claims release-2 channels).
 */
class EconomicsScenario {

    @Test
    @EnabledIfSystemProperty(named = "tollgate.economics.out", matches = ".+")
    void writesTheSettlementEconomicsDocument() throws Exception {
        var scenario = Scenario.fromSystemProperties();
        Path root = Path.of(System.getProperty("tollgate.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path out = root.resolve(scenario.out());
        String stem = out.getFileName().toString().replaceFirst("\\.md$", "");
        Path runsCsv = out.resolveSibling(stem + "-runs.csv");
        Path transactionsCsv = out.resolveSibling(stem + "-transactions.csv");
        String commit = System.getProperty("tollgate.economics.commit", "unknown");
        var database = database(root, scenario.database());
        var runs = new ChannelRun(scenario, database, root.resolve("contracts/target/solidity"), commit);
        BigInteger main = Scenario.gweiToWei(scenario.feesGwei().getFirst());

        var pool = Executors.newFixedThreadPool(Integer.getInteger("tollgate.economics.parallel", 3));
        try {
            List<ChannelRun.Result> before;
            String beforeMode = System.getProperty("tollgate.economics.before", "auto");
            if (beforeMode.equals("run") && !oldSchedulerPresent()) {
                throw new IllegalStateException("the before run needs release 1's old scheduler (RedemptionTrigger,"
                        + " the hourly interval), which this code no longer has: use --before reuse");
            }
            if (beforeMode.equals("skip")) {
                before = List.of();
            } else if (beforeMode.equals("reuse") || (beforeMode.equals("auto") && !oldSchedulerPresent())) {
                before = RecordedRuns.load(runsCsv, transactionsCsv, Mode.BEFORE);
                if (before.isEmpty()) {
                    throw new IllegalStateException("no recorded before runs in " + runsCsv);
                }
            } else {
                var jobs = new ArrayList<Future<ChannelRun.Result>>();
                for (int k : scenario.categories()) {
                    jobs.add(pool.submit(() -> runs.run(Mode.BEFORE, k, main)));
                }
                before = results(jobs);
                // written at once: the runs take long, and the old scheduler's code is gone from later commits
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(runsCsv, RecordedRuns.runs(before));
                Files.writeString(transactionsCsv, RecordedRuns.transactions(before));
                if ("before".equals(System.getProperty("tollgate.economics.only", ""))) {
                    System.out.println("ECONOMICS before runs written: " + runsCsv + ", " + transactionsCsv);
                    return;
                }
            }
            var batch = "after".equals(System.getProperty("tollgate.economics.only", ""))
                    ? null
                    : pool.submit(() -> new BatchClaims(scenario).measure(main));
            List<ChannelRun.Result> after = List.of();
            String afterMode = System.getProperty("tollgate.economics.after", "auto");
            if (afterMode.equals("reuse")) {
                after = RecordedRuns.load(runsCsv, transactionsCsv, Mode.AFTER);
            } else if (afterMode.equals("run") || (afterMode.equals("auto") && claimPathPresent())) {
                var jobs = new ArrayList<Future<ChannelRun.Result>>();
                for (int k : scenario.categories()) {
                    for (var fee : scenario.feesGwei()) {
                        jobs.add(pool.submit(() -> runs.run(Mode.AFTER, k, Scenario.gweiToWei(fee))));
                    }
                }
                after = results(jobs);
            }
            if ("after".equals(System.getProperty("tollgate.economics.only", ""))) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(runsCsv, RecordedRuns.runs(after));
                Files.writeString(transactionsCsv, RecordedRuns.transactions(after));
                System.out.println("ECONOMICS after runs written: " + runsCsv + ", " + transactionsCsv);
                return;
            }
            var document = new EconomicsDocument(scenario, before, batch.get(), after);
            var all = new ArrayList<>(before);
            all.addAll(after);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, document.markdown());
            Files.writeString(runsCsv, RecordedRuns.runs(all));
            Files.writeString(transactionsCsv, RecordedRuns.transactions(all));
            System.out.println("ECONOMICS written: " + out + ", " + runsCsv + ", " + transactionsCsv);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Whether this code still has release 1's hourly scheduler (replaced by RedemptionDecision, issue 18). */
    static boolean oldSchedulerPresent() {
        return present("io.tollgate.gateway.redemption.RedemptionTrigger");
    }

    /** Whether this code's scheduler claims release-2 channels (and decides with RedemptionDecision). */
    static boolean claimPathPresent() {
        return present("io.tollgate.gateway.redemption.ClaimStep")
                && present("io.tollgate.gateway.redemption.RedemptionDecision");
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, EconomicsScenario.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    private static List<ChannelRun.Result> results(List<Future<ChannelRun.Result>> jobs)
            throws InterruptedException, ExecutionException {
        var results = new ArrayList<ChannelRun.Result>();
        for (var job : jobs) {
            results.add(job.get());
        }
        return results;
    }

    /** The journal's database on the machine's PostgreSQL, created through {@code test} and migrated. */
    static DataSource database(Path root, String name) throws IOException {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (var admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                var exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            if (!exists.executeQuery().next()) {
                admin.createStatement().execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name, e);
        }
        var ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:5432/" + name);
        ds.setUser("postgres");
        var flyway = Flyway.configure()
                .dataSource(ds)
                .cleanDisabled(false)
                .locations("filesystem:" + root.resolve("db/migrations"))
                .load();
        try {
            flyway.migrate();
        } catch (FlywayValidateException changed) {
            // a throwaway database built with other migrations: start it again
            flyway.clean();
            flyway.migrate();
        }
        // pooled, as the gateway's (a connection per journal query would dominate a step)
        var pool = new com.zaxxer.hikari.HikariDataSource();
        pool.setDataSource(ds);
        pool.setMaximumPoolSize(8);
        return pool;
    }
}
