package io.tollgate.gateway.redemption;

import io.tollgate.pricing.Wei;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The two-phase progress of redemptions in PostgreSQL ({@code gateway_redemption}), so a restarted gateway
 * finishes what it started. Every transition is one conditional statement; JDBC runs on
 * {@code boundedElastic}.
 */
public final class RedemptionJournal {

    public enum Phase {
        START_PENDING,
        STARTED,
        FINISHED
    }

    /** One redemption as journaled. */
    public record Step(String channel, long epoch, Phase phase, Optional<Instant> finishAfter, Instant requestedAt) {}

    private final DataSource dataSource;

    public RedemptionJournal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The channel's redemption that is not finished, if any. */
    public Mono<Optional<Step>> open(String channel) {
        return call(() -> first(
                "SELECT channel, epoch, phase, finish_after, requested_at FROM gateway_redemption"
                        + " WHERE channel = ? AND phase <> 'FINISHED' ORDER BY epoch LIMIT 1",
                channel));
    }

    /** Whether the redemption of {@code epoch} is journaled FINISHED. */
    public Mono<Boolean> isFinished(String channel, long epoch) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("SELECT 1 FROM gateway_redemption"
                            + " WHERE channel = ? AND epoch = ? AND phase = 'FINISHED'")) {
                s.setString(1, channel);
                s.setLong(2, epoch);
                return s.executeQuery().next();
            }
        });
    }

    /** When the channel's latest redemption was requested. */
    public Mono<Optional<Instant>> lastRequested(String channel) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("SELECT max(requested_at) FROM gateway_redemption WHERE channel = ?")) {
                s.setString(1, channel);
                var r = s.executeQuery();
                r.next();
                Timestamp t = r.getTimestamp(1);
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        });
    }

    /** Channels with an unfinished redemption. */
    public Mono<List<String>> openChannels() {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement(
                            "SELECT DISTINCT channel FROM gateway_redemption WHERE phase <> 'FINISHED'")) {
                var r = s.executeQuery();
                var channels = new ArrayList<String>();
                while (r.next()) {
                    channels.add(r.getString(1));
                }
                return channels;
            }
        });
    }

    /** Writes the intent before the transaction; false when one is already journaled for that epoch. */
    public Mono<Boolean> intend(String channel, long epoch, RedemptionDecision.Reason reason, Instant now) {
        return update(
                "INSERT INTO gateway_redemption (channel, epoch, phase, reason, requested_at, updated_at)"
                        + " VALUES (?, ?, 'START_PENDING', ?, ?, ?) ON CONFLICT DO NOTHING",
                channel,
                epoch,
                reason.name(),
                Timestamp.from(now),
                Timestamp.from(now));
    }

    public Mono<Boolean> started(String channel, long epoch, Optional<String> tx, Instant finishAfter, Instant now) {
        return update(
                "UPDATE gateway_redemption SET phase = 'STARTED', start_tx = coalesce(?, start_tx), finish_after = ?,"
                        + " updated_at = ? WHERE channel = ? AND epoch = ? AND phase = 'START_PENDING'",
                tx.orElse(null),
                Timestamp.from(finishAfter),
                Timestamp.from(now),
                channel,
                epoch);
    }

    public Mono<Boolean> finished(String channel, long epoch, String tx, Wei claimed, Instant now) {
        return update(
                "UPDATE gateway_redemption SET phase = 'FINISHED', finish_tx = ?, claimed_wei = ?, updated_at = ?"
                        + " WHERE channel = ? AND epoch = ? AND phase = 'STARTED'",
                tx,
                new BigDecimal(claimed.value()),
                Timestamp.from(now),
                channel,
                epoch);
    }

    /**
     * A finish the chain shows done although this journal never saw its receipt (the connection broke while
     * waiting): FINISHED, transaction and claimed amount unknown here (the chain's Redeemed event has them).
     */
    public Mono<Boolean> finishedOnChain(String channel, long epoch, Instant now) {
        return update(
                "UPDATE gateway_redemption SET phase = 'FINISHED', updated_at = ?"
                        + " WHERE channel = ? AND epoch = ? AND phase = 'STARTED'",
                Timestamp.from(now),
                channel,
                epoch);
    }

    /**
     * The channel now claims in one step (it was upgraded to release 2): a two-phase redemption still open is
     * done here (FINISHED, no transaction or amount), its epoch is claimed like any open epoch.
     */
    public Mono<Boolean> superseded(String channel, Instant now) {
        return call(() -> {
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("UPDATE gateway_redemption SET phase = 'FINISHED', updated_at = ?"
                            + " WHERE channel = ? AND phase <> 'FINISHED'")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setString(2, channel);
                return s.executeUpdate() > 0;
            }
        });
    }

    /** The database this journal writes to (the claims of release 2 are journaled beside it). */
    DataSource dataSource() {
        return dataSource;
    }

    private Optional<Step> first(String sql, String channel) throws SQLException {
        try (var c = dataSource.getConnection();
                var s = c.prepareStatement(sql)) {
            s.setString(1, channel);
            ResultSet r = s.executeQuery();
            if (!r.next()) {
                return Optional.empty();
            }
            return Optional.of(new Step(
                    r.getString(1),
                    r.getLong(2),
                    Phase.valueOf(r.getString(3)),
                    Optional.ofNullable(r.getTimestamp(4)).map(Timestamp::toInstant),
                    r.getTimestamp(5).toInstant()));
        }
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
