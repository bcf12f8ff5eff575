package io.tollgate.monitor.submit;

import static io.tollgate.protocol.sla.SubmissionState.CONFIRMED;
import static io.tollgate.protocol.sla.SubmissionState.NO_PENALTY;
import static io.tollgate.protocol.sla.SubmissionState.REFUSED;
import static io.tollgate.protocol.sla.SubmissionState.REPORTS_ADDED;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.monitor.submit.Submitter.Outcome;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.sla.SubmissionState;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;

/**
 * Release 2 ({@link SlaSettlement#release}): windows settle in two steps, so that nobody picks the reports. During
 * a window's report period the signed reports of monitors not on chain yet are added (after reading
 * {@code windowReports}; anyone may have added some), then, once the period is over or every monitor reported, the
 * window is settled on the median of all reports on chain. Its record goes REPORTS_ADDED, SENDING (the settlement
 * claimed), CONFIRMED; the contract refuses a settlement before the period's end ({@code ReportPeriodRunning}) and
 * after two periods ({@code SettlementExpired}). Logs in the {@link Submitter}'s log.
 */
final class TwoStepSettlement {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    private final SubmissionRecords records;
    private final ReportCheck check;
    private final Web3j web3j;
    private final TransactionManager sender;
    private final BigInteger gasPriceCeiling;
    private final Duration collectFor;
    private final boolean allWindows;
    private final Duration giveUpAfter;
    private final Clock clock;
    /** Channels known to be on release 2 (a channel is upgraded, never downgraded); others are asked each pass. */
    private final Set<String> twoStep = ConcurrentHashMap.newKeySet();
    /** Release 2 channels' report periods (fixed at creation). */
    private final Map<String, Duration> reportPeriods = new ConcurrentHashMap<>();

    TwoStepSettlement(
            SubmissionRecords records,
            ReportCheck check,
            Web3j web3j,
            TransactionManager sender,
            BigInteger gasPriceCeiling,
            Duration collectFor,
            boolean allWindows,
            Duration giveUpAfter,
            Clock clock) {
        this.records = records;
        this.check = check;
        this.web3j = web3j;
        this.sender = sender;
        this.gasPriceCeiling = gasPriceCeiling;
        this.collectFor = collectFor;
        this.allWindows = allWindows;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
    }

    /** Whether the channel settles in two steps (release 2); an upgraded channel is seen at the next pass. */
    boolean applies(String channel) {
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
    List<Outcome> settle(Watch watch, Instant now) {
        List<Outcome> outcomes = new ArrayList<>();
        SlaTerms terms = watch.terms();
        String address = watch.channel();
        Duration period = reportPeriods.computeIfAbsent(
                address, c -> SlaSettlement.readOnly(web3j, c).reportPeriod());
        var settlement = new SlaSettlement(web3j, address, sender, gasPriceCeiling);
        for (var entry : records.unsettled(address, now.minus(giveUpAfter)).entrySet()) {
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
            SlaSettlement settlement,
            Watch watch,
            long window,
            Duration period,
            Instant now,
            SubmissionRecords.Unsettled unsettled) {
        SlaTerms terms = watch.terms();
        String address = watch.channel();
        SlaSettlement.WindowReports chain = settlement.windowReports(window);
        if (chain.settled()) {
            records.upsert(address, window, CONFIRMED, chain.count(), 0, Wei.ZERO);
            return List.of(new Outcome.AlreadyReported(address, window));
        }
        Instant end = terms.windowEnd(window);
        List<Outcome> outcomes = new ArrayList<>();
        List<Report> missing = check.valid(watch, window, unsettled.reports()).stream()
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
                if (unsettled.state() == SubmissionState.NONE) {
                    records.upsert(address, window, NO_PENALTY, values.size(), SlaTerms.median(values), Wei.ZERO);
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
                records.upsert(address, window, REPORTS_ADDED, onChain, median, terms.penaltyFor(median));
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
                records.upsert(address, window, REFUSED, onChain, 0, Wei.ZERO);
                records.mark(
                        address,
                        window,
                        REFUSED,
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
            records.upsert(address, window, NO_PENALTY, onChain, median, due);
            return outcomes; // nothing to pay: not sent
        }
        if (!records.claimSettlement(address, window, onChain, median, due)) {
            return outcomes; // claimed by another submitter
        }
        try {
            SlaSettlement.Settled settled = settlement.settleWindow(window);
            records.mark(address, window, CONFIRMED, settled.txHash(), null);
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
                records.unclaimSettlement(address, window);
                return outcomes;
            }
            outcomes.addAll(refused(address, window, e));
        }
        // anything else (the node down, a timeout) leaves the claim SENDING: looked at again after retryAfter
        return outcomes;
    }

    private List<Outcome> refused(String address, long window, ChannelRevertedException e) {
        if (e.error().equals("WindowAlreadySettled")) {
            records.upsert(address, window, CONFIRMED, 0, 0, Wei.ZERO);
            return List.of(new Outcome.AlreadyReported(address, window));
        }
        records.upsert(address, window, REFUSED, 0, 0, Wei.ZERO);
        records.mark(address, window, REFUSED, null, e.getMessage());
        log.atWarn()
                .addKeyValue("channel", address)
                .addKeyValue("window", window)
                .log("the chain refused the window: {}", e.getMessage());
        return List.of(new Outcome.Refused(address, window, e.getMessage()));
    }
}
