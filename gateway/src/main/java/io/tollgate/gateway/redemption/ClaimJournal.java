package io.tollgate.gateway.redemption;

import io.tollgate.pricing.Wei;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The claims of release-2 channels in PostgreSQL ({@code gateway_claim}): an intent before each claim is sent,
 * what it paid once its receipt is seen. The chain's claimed counts are the truth: an intent whose counts the
 * chain shows claimed (the receipt was lost) is recognised from them and never sent again, so a restart does
 * not repeat a claim that would revert ({@code ClaimNotAbove}). Every transition is one conditional statement;
 * JDBC runs on {@code boundedElastic}.
 */
public final class ClaimJournal {

    private final DataSource dataSource;

    public ClaimJournal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes the intent to claim {@code epoch} up to {@code counts} (per category) and returns its id; an intent
     * of the same epoch still pending (its claim never reached the chain) is replaced.
     */
    public Mono<Long> intend(String channel, long epoch, List<Long> counts, String reason, Instant now) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("INSERT INTO gateway_claim"
                            + " (channel, epoch, counts, phase, reason, requested_at, updated_at)"
                            + " VALUES (?, ?, ?, 'PENDING', ?, ?, ?)"
                            + " ON CONFLICT (channel, epoch) WHERE phase = 'PENDING' DO UPDATE"
                            + " SET counts = EXCLUDED.counts, reason = EXCLUDED.reason,"
                            + " requested_at = EXCLUDED.requested_at, updated_at = EXCLUDED.updated_at"
                            + " RETURNING id")) {
                s.setString(1, channel);
                s.setLong(2, epoch);
                s.setArray(3, counts(c, counts));
                s.setString(4, reason);
                s.setTimestamp(5, Timestamp.from(now));
                s.setTimestamp(6, Timestamp.from(now));
                var r = s.executeQuery();
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** The claim of intent {@code id} was mined: its transaction and what its {@code Claimed} event paid. */
    public Mono<Boolean> claimed(long id, String tx, Wei amount, Instant now) {
        return update(
                "UPDATE gateway_claim SET phase = 'CLAIMED', tx = ?, claimed_wei = ?, updated_at = ?"
                        + " WHERE id = ? AND phase = 'PENDING'",
                tx,
                new BigDecimal(amount.value()),
                Timestamp.from(now),
                id);
    }

    /**
     * The chain shows {@code claimedOnChain} for {@code epoch}: a pending intent whose every count is at most that
     * is done (ON_CHAIN), though its receipt was never seen here. Returns how many intents it settled.
     */
    public Mono<Integer> settle(String channel, long epoch, List<Long> claimedOnChain, Instant now) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("UPDATE gateway_claim SET phase = 'ON_CHAIN', updated_at = ?"
                            + " WHERE channel = ? AND epoch = ? AND phase = 'PENDING' AND NOT EXISTS ("
                            + " SELECT 1 FROM unnest(counts, ?::bigint[]) AS t(mine, chain)"
                            + " WHERE mine > coalesce(chain, 0))")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setString(2, channel);
                s.setLong(3, epoch);
                s.setArray(4, counts(c, claimedOnChain));
                return s.executeUpdate();
            }
        });
    }

    /** When the channel's latest claim was requested. */
    public Mono<Optional<Instant>> lastRequested(String channel) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("SELECT max(requested_at) FROM gateway_claim WHERE channel = ?")) {
                s.setString(1, channel);
                var r = s.executeQuery();
                r.next();
                return Optional.ofNullable(r.getTimestamp(1)).map(Timestamp::toInstant);
            }
        });
    }

    /** Σ claimed_wei of the claims whose receipt was seen (for tests and operations). */
    public Mono<Wei> claimedTotal(String channel) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement(
                            "SELECT coalesce(sum(claimed_wei), 0) FROM gateway_claim WHERE channel = ?")) {
                s.setString(1, channel);
                var r = s.executeQuery();
                r.next();
                return new Wei(r.getBigDecimal(1).toBigIntegerExact());
            }
        });
    }

    /** The phases of the channel's claims, oldest first (for tests and operations). */
    public Mono<List<String>> phases(String channel) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("SELECT phase FROM gateway_claim WHERE channel = ? ORDER BY id")) {
                s.setString(1, channel);
                var r = s.executeQuery();
                var phases = new java.util.ArrayList<String>();
                while (r.next()) {
                    phases.add(r.getString(1));
                }
                return List.copyOf(phases);
            }
        });
    }

    private static java.sql.Array counts(Connection c, List<Long> counts) throws SQLException {
        return c.createArrayOf("bigint", counts.toArray(Long[]::new));
    }

    private Mono<Boolean> update(String sql, Object... args) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                return s.executeUpdate() == 1;
            }
        });
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> Mono<T> call(SqlCall<T> call) {
        return Mono.fromCallable(call::call).subscribeOn(Schedulers.boundedElastic());
    }
}
