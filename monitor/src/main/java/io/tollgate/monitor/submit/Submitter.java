package io.tollgate.monitor.submit;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SignatureException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.TransactionManager;
import org.web3j.utils.Numeric;

/**
 * Reports ended windows on chain. A window is submitted once it has ended (by this clock or the newest block's
 * time, whichever is later; the contract refuses a window not over, and it is tried again) and has signed reports
 * of every monitor the channel names, or of a quorum once {@code collectFor} has passed since its end (a monitor
 * that is down holds nothing up for long). Windows without a quorum {@code giveUpAfter} their end are left alone:
 * nothing is paid for them. Only reports whose signature recovers to the
 * monitor that wrote them and that the channel names are sent; the contract takes their median and pays the
 * tier's penalty from the collateral.
 *
 * <p>Never twice: a window is first claimed in {@code sla_submission} ({@code INSERT … ON CONFLICT DO NOTHING}; one
 * claim, whatever the replicas and restarts), then checked on chain ({@code windowReported}), and only then sent;
 * the contract refuses a second report of a window anyway. A claim whose transaction did not confirm (a crash, the
 * node down) is looked at again after {@code retryAfter}: confirmed if the chain has the window, released for a
 * new attempt if not. Windows whose median is due no penalty are recorded as such and not sent, unless
 * {@code allWindows}.
 *
 * <p>Release 2 channels ({@link SlaSettlement#release}) settle in two steps, so that nobody picks the reports:
 * during a window's report period the submitter adds the signed reports of monitors not on chain yet (it reads
 * {@code windowReports} first; anyone may have added some), then, once the period is over or every monitor
 * reported, settles the window on the median of all reports on chain. Its record goes REPORTS_ADDED, SENDING
 * (the settlement claimed), CONFIRMED; the contract refuses a settlement before the period's end
 * ({@code ReportPeriodRunning}) and after two periods ({@code SettlementExpired}). Release 1 channels are
 * reported in one step, as before, until none is left.
 */
public final class Submitter {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    /** What happened to a window in a pass. */
    public sealed interface Outcome {
        String channel();

        long window();

        /** Sent and mined: the tiers ask {@code due}; the chain paid that or, when short, the collateral left. */
        record Submitted(String channel, long window, int medianBps, int reports, Wei due, String txHash)
                implements Outcome {}

        /** The median is due no penalty: recorded, not sent. */
        record NoPenalty(String channel, long window, int medianBps, int reports) implements Outcome {}

        /** The chain had it already (another submitter). */
        record AlreadyReported(String channel, long window) implements Outcome {}

        /** The chain refused it for good (e.g. the channel closed). */
        record Refused(String channel, long window, String reason) implements Outcome {}

        /**
         * Release 2: {@code added} reports (of monitors not on chain yet) were added during the report period;
         * {@code onChain} reports are there now. The settlement follows once the period is over (or at once when
         * every monitor reported).
         */
        record ReportsAdded(String channel, long window, int added, int onChain, String txHash) implements Outcome {}

        /**
         * Release 2: settled on the median of all {@code reports} added on chain; the tiers ask {@code due}, the
         * chain paid {@code paid} (that, or the collateral left when short).
         */
        record Settled(String channel, long window, int medianBps, int reports, Wei due, Wei paid, String txHash)
                implements Outcome {}

        /** Release 2: the report period is over with fewer than a quorum of reports on chain: nothing is paid. */
        record TooFewReports(String channel, long window, int reports, int quorum) implements Outcome {}
    }

    private record Report(String monitor, int availabilityBps, byte[] signature) {}

    private final JdbcTemplate jdbc;
    private final Web3j web3j;
    private final TransactionManager sender;
    private final long chainId;
    private final BigInteger gasPriceCeiling;
    private final Duration collectFor;
    private final boolean allWindows;
    private final Duration retryAfter;
    private final Duration giveUpAfter;
    private final Clock clock;
    /** Channels known to be on release 2 (a channel is upgraded, never downgraded); others are asked each pass. */
    private final Set<String> twoStep = ConcurrentHashMap.newKeySet();
    /** The chain clock's lead last warned about, in minutes. */
    private volatile long warnedLead;
    /** Release 2 channels' report periods (fixed at creation). */
    private final Map<String, Duration> reportPeriods = new ConcurrentHashMap<>();

    public Submitter(
            JdbcTemplate jdbc,
            Web3j web3j,
            TransactionManager sender,
            long chainId,
            BigInteger gasPriceCeiling,
            Duration collectFor,
            boolean allWindows,
            Duration retryAfter,
            Duration giveUpAfter,
            Clock clock) {
        this.jdbc = jdbc;
        this.web3j = web3j;
        this.sender = sender;
        this.chainId = chainId;
        this.gasPriceCeiling = gasPriceCeiling;
        this.collectFor = collectFor;
        this.allWindows = allWindows;
        this.retryAfter = retryAfter;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
    }

    /** One pass over the watched channels; returns what it did. */
    public List<Outcome> submit(List<Watch> watches) {
        List<Outcome> outcomes = new ArrayList<>();
        if (watches.isEmpty()) {
            return outcomes;
        }
        // the next block is stamped at least the newest one's time, and about now (a development chain mines only
        // when a transaction comes, so its newest block may be old); the contract has the last word
        Instant chainNow = chainNow();
        Instant now = chainNow.isAfter(clock.instant()) ? chainNow : clock.instant();
        warnIfChainAhead(chainNow);
        for (Watch watch : watches) {
            ChannelClient channel = new ChannelClient(web3j, watch.channel(), sender, gasPriceCeiling);
            outcomes.addAll(recover(channel));
            if (twoStep(watch.channel())) {
                outcomes.addAll(settle(watch, now));
                continue;
            }
            for (var entry : pending(watch.channel(), now.minus(giveUpAfter)).entrySet()) {
                long window = entry.getKey();
                if (watch.terms().windowEnd(window).isAfter(now)
                        || entry.getValue().size() < watch.terms().quorum()) {
                    continue; // not over yet, or no quorum (yet)
                }
                submit(channel, watch.terms(), window, valid(watch, window, entry.getValue()))
                        .ifPresent(outcomes::add);
            }
        }
        return outcomes;
    }

    private Optional<Outcome> submit(ChannelClient channel, SlaTerms terms, long window, List<Report> reports) {
        String address = channel.address();
        if (reports.size() < terms.quorum()) {
            return Optional.empty(); // waiting for a quorum, which may never come: then nothing is paid
        }
        if (reports.size() < terms.monitors().size()
                && clock.instant().isBefore(terms.windowEnd(window).plus(collectFor))) {
            return Optional.empty(); // waiting a while for the other monitors
        }
        int median =
                SlaTerms.median(reports.stream().map(Report::availabilityBps).toList());
        Wei due = terms.penaltyFor(median);
        if (due.isZero() && !allWindows) {
            claim(address, window, "NO_PENALTY", reports.size(), median, due);
            return Optional.of(new Outcome.NoPenalty(address, window, median, reports.size()));
        }
        if (!claim(address, window, "SENDING", reports.size(), median, due)) {
            return Optional.empty(); // claimed by another submitter (or a pass before this one)
        }
        if (channel.windowReported(window)) {
            mark(address, window, "CONFIRMED", null, null);
            return Optional.of(new Outcome.AlreadyReported(address, window));
        }
        try {
            var receipt = channel.reportWindow(
                    window,
                    reports.stream()
                            .map(r -> new ChannelClient.WindowReport(r.availabilityBps(), r.signature()))
                            .toList());
            mark(address, window, "CONFIRMED", receipt.getTransactionHash(), null);
            log.atInfo()
                    .addKeyValue("channel", address)
                    .addKeyValue("window", window)
                    .addKeyValue("availabilityBps", median)
                    .addKeyValue("penaltyWei", due)
                    .addKeyValue("reports", reports.size())
                    .addKeyValue("tx", receipt.getTransactionHash())
                    .log("window reported on chain");
            return Optional.of(
                    new Outcome.Submitted(address, window, median, reports.size(), due, receipt.getTransactionHash()));
        } catch (ChannelRevertedException e) {
            if (e.error().equals("WindowNotOver")) {
                // this clock is ahead of the chain's: not yet, the claim goes for the next pass
                jdbc.update(
                        "delete from sla_submission where channel = ? and window_index = ? and state = 'SENDING'",
                        address,
                        window);
                return Optional.empty();
            }
            if (e.error().equals("WindowAlreadyReported")) {
                mark(address, window, "CONFIRMED", null, null);
                return Optional.of(new Outcome.AlreadyReported(address, window));
            }
            mark(address, window, "REFUSED", null, e.getMessage());
            log.atWarn()
                    .addKeyValue("channel", address)
                    .addKeyValue("window", window)
                    .log("the chain refused the window: {}", e.getMessage());
            return Optional.of(new Outcome.Refused(address, window, e.getMessage()));
        }
        // anything else (the node down, a timeout) leaves the claim SENDING: looked at again after retryAfter
    }

    // ------------------------------------------------------------------------------------------ release 2

    /** Whether the channel settles in two steps (release 2); an upgraded channel is seen at the next pass. */
    private boolean twoStep(String channel) {
        if (twoStep.contains(channel)) {
            return true;
        }
        if (SlaSettlement.twoStep(web3j, channel)) {
            twoStep.add(channel);
            return true;
        }
        return false;
    }

    /**
     * Release 2, one pass over a channel's windows that have signed reports and are not settled (by the
     * records): during a window's report period the reports of monitors not on chain yet are added (once every
     * monitor's report is in, or {@code collectFor} after the end, or half the period); once the period is
     * over, or at once when every monitor reported, the window is settled on the median of all reports on
     * chain, before {@code settleUntil}. Windows whose reports are due no penalty are not sent unless someone
     * else added reports (then ours go along, so that the median is of all) or {@code allWindows}.
     */
    private List<Outcome> settle(Watch watch, Instant now) {
        List<Outcome> outcomes = new ArrayList<>();
        SlaTerms terms = watch.terms();
        String address = watch.channel();
        Duration period = reportPeriods.computeIfAbsent(
                address, c -> SlaSettlement.readOnly(web3j, c).reportPeriod());
        var settlement = new SlaSettlement(web3j, address, sender, gasPriceCeiling);
        for (var entry : unsettled(address, now.minus(giveUpAfter)).entrySet()) {
            long window = entry.getKey();
            Instant end = terms.windowEnd(window);
            if (end.isAfter(now) || !now.isBefore(end.plus(period.multipliedBy(2)))) {
                continue; // not over yet, or its settlement time has passed: nothing can be done
            }
            try {
                outcomes.addAll(settle(settlement, watch, window, period, now, entry.getValue()));
            } catch (ChannelRevertedException e) {
                outcomes.addAll(refused(address, window, e));
            }
        }
        return outcomes;
    }

    private List<Outcome> settle(
            SlaSettlement settlement, Watch watch, long window, Duration period, Instant now, Unsettled unsettled) {
        SlaTerms terms = watch.terms();
        String address = watch.channel();
        SlaSettlement.WindowReports chain = settlement.windowReports(window);
        if (chain.settled()) {
            upsert(address, window, "CONFIRMED", chain.count(), 0, Wei.ZERO);
            return List.of(new Outcome.AlreadyReported(address, window));
        }
        Instant end = terms.windowEnd(window);
        List<Outcome> outcomes = new ArrayList<>();
        List<Report> missing = valid(watch, window, unsettled.reports()).stream()
                .filter(r -> !chain.reported(terms.monitors().indexOf(r.monitor())))
                .toList();
        int onChain = chain.count();
        List<Integer> values = new ArrayList<>(chain.reportedValues());
        missing.forEach(r -> values.add(r.availabilityBps()));
        boolean periodRunning = now.isBefore(chain.reportsUntil());
        if (periodRunning && !missing.isEmpty()) {
            boolean due = !terms.penaltyFor(SlaTerms.median(values)).isZero();
            boolean collected = onChain + missing.size() == terms.monitors().size()
                    || !clock.instant().isBefore(end.plus(collectFor))
                    || !now.isBefore(end.plus(period.dividedBy(2)));
            if (!due && onChain == 0 && !allWindows) {
                if (unsettled.state() == null) {
                    upsert(address, window, "NO_PENALTY", values.size(), SlaTerms.median(values), Wei.ZERO);
                    return List.of(new Outcome.NoPenalty(address, window, SlaTerms.median(values), values.size()));
                }
                return List.of(); // nothing on chain and nothing due: looked at again while the period runs
            }
            if (!collected) {
                return List.of(); // waiting a while for the other monitors
            }
            try {
                var receipt = settlement.addReports(
                        window,
                        missing.stream()
                                .map(r -> new ChannelClient.WindowReport(r.availabilityBps(), r.signature()))
                                .toList());
                onChain += missing.size();
                int median = SlaTerms.median(values);
                upsert(address, window, "REPORTS_ADDED", onChain, median, terms.penaltyFor(median));
                log.atInfo()
                        .addKeyValue("channel", address)
                        .addKeyValue("window", window)
                        .addKeyValue("added", missing.size())
                        .addKeyValue("onChain", onChain)
                        .addKeyValue("reportsUntil", chain.reportsUntil())
                        .addKeyValue("tx", receipt.getTransactionHash())
                        .log("window reports added on chain");
                outcomes.add(new Outcome.ReportsAdded(
                        address, window, missing.size(), onChain, receipt.getTransactionHash()));
            } catch (ChannelRevertedException e) {
                switch (e.error()) {
                    case "WindowNotOver", "MonitorAlreadyReported", "ReportPeriodOver" -> {
                        return outcomes; // the chain is behind this clock, or someone else added: next pass
                    }
                    default -> throw e;
                }
            }
        }
        if (periodRunning && onChain < terms.monitors().size()) {
            return outcomes; // settled once the period is over (or every monitor reported)
        }
        if (onChain < terms.quorum()) {
            if (!periodRunning && onChain > 0) {
                upsert(address, window, "REFUSED", onChain, 0, Wei.ZERO);
                mark(
                        address,
                        window,
                        "REFUSED",
                        null,
                        "too few reports on chain: " + onChain + ", quorum " + terms.quorum());
                outcomes.add(new Outcome.TooFewReports(address, window, onChain, terms.quorum()));
            }
            return outcomes;
        }
        List<Integer> all = onChain == chain.count() ? chain.reportedValues() : values;
        int median = SlaTerms.median(all);
        Wei due = terms.penaltyFor(median);
        if (due.isZero() && !allWindows) {
            upsert(address, window, "NO_PENALTY", onChain, median, due);
            return outcomes; // nothing to pay: not sent
        }
        if (!claimSettlement(address, window, onChain, median, due)) {
            return outcomes; // claimed by another submitter
        }
        try {
            SlaSettlement.Settled settled = settlement.settleWindow(window);
            mark(address, window, "CONFIRMED", settled.txHash(), null);
            log.atInfo()
                    .addKeyValue("channel", address)
                    .addKeyValue("window", window)
                    .addKeyValue("availabilityBps", settled.medianBps())
                    .addKeyValue("reports", settled.reports())
                    .addKeyValue("penaltyWei", settled.penalty())
                    .addKeyValue("tx", settled.txHash())
                    .log("window settled on chain");
            outcomes.add(new Outcome.Settled(
                    address,
                    window,
                    settled.medianBps(),
                    settled.reports(),
                    terms.penaltyFor(settled.medianBps()),
                    settled.penalty(),
                    settled.txHash()));
        } catch (ChannelRevertedException e) {
            if (e.error().equals("ReportPeriodRunning") || e.error().equals("WindowNotOver")) {
                // this clock is ahead of the chain's: back to the reports added, settled at a later pass
                jdbc.update(
                        "update sla_submission set state = 'REPORTS_ADDED' where channel = ? and window_index = ?"
                                + " and state = 'SENDING'",
                        address,
                        window);
                return outcomes;
            }
            outcomes.addAll(refused(address, window, e));
        }
        // anything else (the node down, a timeout) leaves the claim SENDING: looked at again after retryAfter
        return outcomes;
    }

    private List<Outcome> refused(String address, long window, ChannelRevertedException e) {
        if (e.error().equals("WindowAlreadySettled")) {
            upsert(address, window, "CONFIRMED", 0, 0, Wei.ZERO);
            return List.of(new Outcome.AlreadyReported(address, window));
        }
        upsert(address, window, "REFUSED", 0, 0, Wei.ZERO);
        mark(address, window, "REFUSED", null, e.getMessage());
        log.atWarn()
                .addKeyValue("channel", address)
                .addKeyValue("window", window)
                .log("the chain refused the window: {}", e.getMessage());
        return List.of(new Outcome.Refused(address, window, e.getMessage()));
    }

    /** A release-2 window with signed reports: its record's state (null: none yet) and the reports. */
    private record Unsettled(String state, List<Report> reports) {}

    /**
     * Release 2: windows ended after {@code since} with signed reports whose record is none yet, REPORTS_ADDED, or
     * NO_PENALTY (someone else may add reports while the period runs), by window.
     */
    private Map<Long, Unsettled> unsettled(String channel, Instant since) {
        Map<Long, String> states = new TreeMap<>();
        Map<Long, List<Report>> reports = new TreeMap<>();
        jdbc.query(
                """
                select r.window_index, r.monitor, r.availability_bps, r.signature, s.state from sla_report r
                left join sla_submission s on s.channel = r.channel and s.window_index = r.window_index
                where r.channel = ? and r.window_end > ? and coalesce(s.state, 'NONE') in ('NONE', 'REPORTS_ADDED',
                    'NO_PENALTY')
                order by r.window_index, r.monitor""",
                rs -> {
                    states.put(rs.getLong(1), rs.getString(5));
                    reports.computeIfAbsent(rs.getLong(1), w -> new ArrayList<>())
                            .add(new Report(
                                    rs.getString(2).trim(),
                                    rs.getInt(3),
                                    Numeric.hexStringToByteArray(rs.getString(4))));
                },
                channel,
                Timestamp.from(since));
        Map<Long, Unsettled> byWindow = new TreeMap<>();
        reports.forEach((w, r) -> byWindow.put(w, new Unsettled(states.get(w), r)));
        return byWindow;
    }

    /** Records a window's state, whatever it was. */
    private void upsert(String channel, long window, String state, int reports, int median, Wei due) {
        jdbc.update(
                """
                insert into sla_submission (channel, window_index, state, reports, availability_bps, penalty_wei,
                    updated_at) values (?, ?, ?, ?, ?, ?, ?)
                on conflict (channel, window_index) do update set state = excluded.state, reports = excluded.reports,
                    availability_bps = excluded.availability_bps, penalty_wei = excluded.penalty_wei,
                    updated_at = excluded.updated_at""",
                channel,
                window,
                state,
                reports,
                median,
                new BigDecimal(due.value()),
                Timestamp.from(clock.instant()));
    }

    /** Claims the settlement of a window (one claim, whatever the replicas): none yet, or its reports added. */
    private boolean claimSettlement(String channel, long window, int reports, int median, Wei due) {
        return jdbc.update(
                        """
                        insert into sla_submission (channel, window_index, state, reports, availability_bps, penalty_wei,
                            updated_at) values (?, ?, 'SENDING', ?, ?, ?, ?)
                        on conflict (channel, window_index) do update set state = 'SENDING', reports = excluded.reports,
                            availability_bps = excluded.availability_bps, penalty_wei = excluded.penalty_wei,
                            updated_at = excluded.updated_at
                        where sla_submission.state in ('REPORTS_ADDED', 'NO_PENALTY')""",
                        channel,
                        window,
                        reports,
                        median,
                        new BigDecimal(due.value()),
                        Timestamp.from(clock.instant()))
                == 1;
    }

    // ------------------------------------------------------------------------------------------ both releases

    /** Claims older than {@code retryAfter} that never confirmed: confirmed if the chain has them, else released. */
    private List<Outcome> recover(ChannelClient channel) {
        List<Outcome> outcomes = new ArrayList<>();
        List<Long> stale = jdbc.queryForList(
                "select window_index from sla_submission where channel = ? and state = 'SENDING' and updated_at < ?",
                Long.class,
                channel.address(),
                Timestamp.from(clock.instant().minus(retryAfter)));
        for (long window : stale) {
            if (channel.windowReported(window)) {
                mark(channel.address(), window, "CONFIRMED", null, null);
                outcomes.add(new Outcome.AlreadyReported(channel.address(), window));
            } else {
                jdbc.update(
                        "delete from sla_submission where channel = ? and window_index = ? and state = 'SENDING'",
                        channel.address(),
                        window);
                log.atInfo()
                        .addKeyValue("channel", channel.address())
                        .addKeyValue("window", window)
                        .log("an unconfirmed submission is released for another attempt");
            }
        }
        return outcomes;
    }

    /** Reports of windows not claimed yet that ended after {@code since}, by window. */
    private Map<Long, List<Report>> pending(String channel, Instant since) {
        Map<Long, List<Report>> byWindow = new TreeMap<>();
        jdbc.query(
                """
                select r.window_index, r.monitor, r.availability_bps, r.signature from sla_report r
                where r.channel = ? and r.window_end > ? and not exists
                    (select 1 from sla_submission s where s.channel = r.channel and s.window_index = r.window_index)
                order by r.window_index, r.monitor""",
                rs -> {
                    byWindow.computeIfAbsent(rs.getLong(1), w -> new ArrayList<>())
                            .add(new Report(
                                    rs.getString(2).trim(),
                                    rs.getInt(3),
                                    Numeric.hexStringToByteArray(rs.getString(4))));
                },
                channel,
                Timestamp.from(since));
        return byWindow;
    }

    /**
     * The reports the contract will take: a signature in canonical form (low s, v 27 or 28, as the contract's
     * ECDSA demands) that recovers to the monitor that wrote it, one the channel names. Any other report is left
     * out with a warning naming its monitor: sent along, it would make the contract refuse the whole window.
     */
    private List<Report> valid(Watch watch, long window, List<Report> reports) {
        List<Report> valid = new ArrayList<>();
        for (Report r : reports) {
            byte[] digest = VoucherSignatures.windowReportDigest(chainId, watch.channel(), window, r.availabilityBps());
            String problem = problem(digest, r, watch);
            if (problem == null) {
                valid.add(r);
            } else {
                log.atWarn()
                        .addKeyValue("channel", watch.channel())
                        .addKeyValue("window", window)
                        .addKeyValue("monitor", r.monitor())
                        .log("the report of monitor {} for window {} is left out: {}", r.monitor(), window, problem);
            }
        }
        return valid;
    }

    /** Why the contract would refuse the report's signature; null when it would take it. */
    private static String problem(byte[] digest, Report report, Watch watch) {
        byte[] signature = report.signature();
        if (signature.length != 65) {
            return "its signature has " + signature.length + " bytes, not 65";
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        int v = signature[64] & 0xff;
        if (r.signum() == 0 || s.signum() == 0) {
            return "its signature has a zero r or s";
        }
        if (!Signatures.isLowS(s)) {
            return "its signature has a high s (malleated), which the contract refuses";
        }
        if (v != 27 && v != 28) {
            return "its signature has v = " + v + ", not 27 or 28";
        }
        String signer = recover(digest, signature);
        if (signer == null) {
            return "its signature recovers to no key";
        }
        if (!signer.equals(report.monitor())) {
            return "its signature is by " + signer + ", not by the monitor";
        }
        if (!watch.terms().names(signer)) {
            return "the channel does not name this monitor";
        }
        return null;
    }

    private static String recover(byte[] digest, byte[] signature) {
        var data = new Sign.SignatureData(
                signature[64], Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64));
        try {
            return "0x"
                    + Keys.getAddress(Sign.signedMessageHashToKey(digest, data)).toLowerCase(Locale.ROOT);
        } catch (SignatureException | IllegalArgumentException e) {
            return null;
        }
    }

    private boolean claim(String channel, long window, String state, int reports, int median, Wei due) {
        return jdbc.update(
                        """
                        insert into sla_submission (channel, window_index, state, reports, availability_bps, penalty_wei,
                            updated_at) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                        channel,
                        window,
                        state,
                        reports,
                        median,
                        new BigDecimal(due.value()),
                        Timestamp.from(clock.instant()))
                == 1;
    }

    private void mark(String channel, long window, String state, String txHash, String reason) {
        jdbc.update("""
                update sla_submission set state = ?, tx_hash = coalesce(?, tx_hash), reason = ?, updated_at = ?
                where channel = ? and window_index = ?""", state, txHash, reason, Timestamp.from(clock.instant()), channel, window);
    }

    /**
     * A chain whose newest block is stamped ahead of this clock (a development chain moved forward with
     * {@code evm_increaseTime}) puts release-2 windows, which start at the creation block's time, out of step with
     * the probes, which are stamped by this clock: said once per minute of lead, so that it is seen in the log.
     */
    private void warnIfChainAhead(Instant chainNow) {
        long ahead = Duration.between(clock.instant(), chainNow).toSeconds();
        if (ahead > 30 && ahead / 60 != warnedLead) {
            warnedLead = ahead / 60;
            log.atWarn()
                    .addKeyValue("aheadSeconds", ahead)
                    .log(
                            "the chain's newest block is {} s ahead of this clock: windows start at block time and probes"
                                    + " are stamped by this clock, so measurements do not match the chain's windows",
                            ahead);
        }
    }

    private Instant chainNow() {
        try {
            return Instant.ofEpochSecond(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                    .send()
                    .getBlock()
                    .getTimestamp()
                    .longValueExact());
        } catch (IOException e) {
            throw new UncheckedIOException("the chain node did not answer", e);
        }
    }
}
