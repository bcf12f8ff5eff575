package io.tollgate.monitor.submit;

import static io.tollgate.protocol.sla.SubmissionState.NO_PENALTY;
import static io.tollgate.protocol.sla.SubmissionState.REPORTS_ADDED;
import static io.tollgate.protocol.sla.SubmissionState.SENDING;

import io.tollgate.pricing.Wei;
import io.tollgate.protocol.sla.SubmissionState;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.utils.Numeric;

/**
 * Every statement on {@code sla_submission} (one record per channel and window: who sends it, and how it went) and
 * the reports of {@code sla_report} it is sent from. A claim is one statement ({@code INSERT … ON CONFLICT}), so
 * that one submitter has it, whatever the replicas and restarts; records are stamped by the clock.
 */
final class SubmissionRecords {
    private final JdbcClient jdbc;
    private final Clock clock;

    SubmissionRecords(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A release-2 window with signed reports: its record's state (NONE: no record yet) and the reports. */
    record Unsettled(SubmissionState state, List<Report> reports) {}

    /** Claims a window not recorded yet in {@code state}; false when it is recorded already. */
    boolean claim(String channel, long window, SubmissionState state, int reports, int median, Wei due) {
        return insert("on conflict do nothing", channel, window, state, reports, median, due) == 1;
    }

    /** Sets a recorded window's state, its transaction (kept when null) and reason. */
    void mark(String channel, long window, SubmissionState state, @Nullable String txHash, @Nullable String reason) {
        jdbc.sql("""
                update sla_submission set state = ?, tx_hash = coalesce(?, tx_hash), reason = ?, updated_at = ?
                where channel = ? and window_index = ?""")
                .params(state.name(), txHash, reason, Timestamp.from(clock.instant()), channel, window)
                .update();
    }

    /** Releases a claim whose window the chain did not take (yet): tried again at a later pass. */
    void release(String channel, long window) {
        jdbc.sql("delete from sla_submission where channel = ? and window_index = ? and state = ?")
                .params(channel, window, SENDING.name())
                .update();
    }

    /** Records a window's state, whatever it was. */
    void upsert(String channel, long window, SubmissionState state, int reports, int median, Wei due) {
        insert("""
                on conflict (channel, window_index) do update set state = excluded.state, reports = excluded.reports,
                    availability_bps = excluded.availability_bps, penalty_wei = excluded.penalty_wei,
                    updated_at = excluded.updated_at""", channel, window, state, reports, median, due);
    }

    /** Inserts a window's record, now, with {@code onConflict} deciding what an existing record gets. */
    private int insert(
            String onConflict, String channel, long window, SubmissionState state, int reports, int median, Wei due) {
        return jdbc.sql("""
                        insert into sla_submission (channel, window_index, state, reports, availability_bps, penalty_wei,
                            updated_at) values (?, ?, ?, ?, ?, ?, ?)
                        """ + onConflict)
                .params(
                        channel,
                        window,
                        state.name(),
                        reports,
                        median,
                        new BigDecimal(due.value()),
                        Timestamp.from(clock.instant()))
                .update();
    }

    /** Claims the settlement of a window (one claim, whatever the replicas): none yet, or its reports added. */
    boolean claimSettlement(String channel, long window, int reports, int median, Wei due) {
        return jdbc.sql("""
                        insert into sla_submission (channel, window_index, state, reports, availability_bps, penalty_wei,
                            updated_at) values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (channel, window_index) do update set state = excluded.state, reports = excluded.reports,
                            availability_bps = excluded.availability_bps, penalty_wei = excluded.penalty_wei,
                            updated_at = excluded.updated_at
                        where sla_submission.state in (?, ?)""")
                        .params(
                                channel,
                                window,
                                SENDING.name(),
                                reports,
                                median,
                                new BigDecimal(due.value()),
                                Timestamp.from(clock.instant()),
                                REPORTS_ADDED.name(),
                                NO_PENALTY.name())
                        .update()
                == 1;
    }

    /** Gives a claimed settlement back to the reports added: settled at a later pass. */
    void unclaimSettlement(String channel, long window) {
        jdbc.sql("update sla_submission set state = ? where channel = ? and window_index = ? and state = ?")
                .params(REPORTS_ADDED.name(), channel, window, SENDING.name())
                .update();
    }

    /** Windows claimed (SENDING) before {@code before} that never confirmed. */
    List<Long> stale(String channel, Instant before) {
        return jdbc.sql("select window_index from sla_submission where channel = ? and state = ? and updated_at < ?")
                .params(channel, SENDING.name(), Timestamp.from(before))
                .query(Long.class)
                .list();
    }

    /** Reports of windows not claimed yet that ended after {@code since}, by window. */
    Map<Long, List<Report>> pending(String channel, Instant since) {
        Map<Long, List<Report>> byWindow = new TreeMap<>();
        jdbc.sql("""
                        select r.window_index, r.monitor, r.availability_bps, r.signature from sla_report r
                        where r.channel = ? and r.window_end > ? and not exists
                            (select 1 from sla_submission s where s.channel = r.channel and s.window_index = r.window_index)
                        order by r.window_index, r.monitor""")
                .params(channel, Timestamp.from(since))
                .query(ReportRow.class)
                .list()
                .forEach(row -> byWindow.computeIfAbsent(row.windowIndex(), w -> new ArrayList<>())
                        .add(row.report()));
        return byWindow;
    }

    /**
     * Release 2: windows ended after {@code since} with signed reports whose record is none yet, REPORTS_ADDED, or
     * NO_PENALTY (someone else may add reports while the period runs), by window.
     */
    Map<Long, Unsettled> unsettled(String channel, Instant since) {
        Map<Long, SubmissionState> states = new TreeMap<>();
        Map<Long, List<Report>> reports = new TreeMap<>();
        jdbc.sql("""
                select r.window_index, r.monitor, r.availability_bps, r.signature, s.state from sla_report r
                left join sla_submission s on s.channel = r.channel and s.window_index = r.window_index
                where r.channel = ? and r.window_end > ? and (s.state is null or s.state in (?, ?))
                order by r.window_index, r.monitor""")
                .params(channel, Timestamp.from(since), REPORTS_ADDED.name(), NO_PENALTY.name())
                .query(UnsettledRow.class)
                .list()
                .forEach(row -> {
                    states.put(row.windowIndex(), SubmissionState.stored(row.state()));
                    reports.computeIfAbsent(row.windowIndex(), w -> new ArrayList<>())
                            .add(row.report().report());
                });
        Map<Long, Unsettled> byWindow = new TreeMap<>();
        reports.forEach((w, r) -> byWindow.put(w, new Unsettled(states.get(w), r)));
        return byWindow;
    }

    /** A row of {@code sla_report}: its window, monitor, availability and signature (hex). */
    record ReportRow(long windowIndex, String monitor, int availabilityBps, String signature) {
        Report report() {
            return new Report(monitor.trim(), availabilityBps, Numeric.hexStringToByteArray(signature));
        }
    }

    /** A row of {@code sla_report} with the state of its window's record ({@code null}: none yet). */
    record UnsettledRow(
            long windowIndex,
            String monitor,
            int availabilityBps,
            String signature,
            @Nullable String state) {
        ReportRow report() {
            return new ReportRow(windowIndex, monitor, availabilityBps, signature);
        }
    }
}
