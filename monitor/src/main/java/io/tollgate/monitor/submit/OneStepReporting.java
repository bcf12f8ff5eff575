package io.tollgate.monitor.submit;

import static io.tollgate.protocol.sla.SubmissionState.CONFIRMED;
import static io.tollgate.protocol.sla.SubmissionState.NO_PENALTY;
import static io.tollgate.protocol.sla.SubmissionState.REFUSED;
import static io.tollgate.protocol.sla.SubmissionState.SENDING;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.monitor.submit.Submitter.Outcome;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.pricing.Wei;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Release 1: an ended window is reported in one step ({@code reportWindow}) with the signed reports of every
 * monitor the channel names, or of a quorum once {@code collectFor} has passed since its end; the contract takes
 * their median. It is claimed first (SENDING), checked on chain ({@code windowReported}), then sent. Windows whose
 * median is due no penalty are recorded as such and not sent, unless {@code allWindows}. Logs in the
 * {@link Submitter}'s log.
 */
final class OneStepReporting {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    private final SubmissionRecords records;
    private final ReportCheck check;
    private final Duration collectFor;
    private final boolean allWindows;
    private final Duration giveUpAfter;
    private final Clock clock;

    OneStepReporting(
            SubmissionRecords records,
            ReportCheck check,
            Duration collectFor,
            boolean allWindows,
            Duration giveUpAfter,
            Clock clock) {
        this.records = records;
        this.check = check;
        this.collectFor = collectFor;
        this.allWindows = allWindows;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
    }

    /** One pass over a channel's ended windows not claimed yet that have a quorum of signed reports. */
    List<Outcome> report(ChannelClient channel, Watch watch, Instant now) {
        List<Outcome> outcomes = new ArrayList<>();
        for (var entry :
                records.pending(watch.channel(), now.minus(giveUpAfter)).entrySet()) {
            long window = entry.getKey();
            if (watch.terms().windowEnd(window).isAfter(now)
                    || entry.getValue().size() < watch.terms().quorum()) {
                continue; // not over yet, or no quorum (yet)
            }
            report(channel, watch.terms(), window, check.valid(watch, window, entry.getValue()))
                    .ifPresent(outcomes::add);
        }
        return outcomes;
    }

    private Optional<Outcome> report(ChannelClient channel, SlaTerms terms, long window, List<Report> reports) {
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
            records.claim(address, window, NO_PENALTY, reports.size(), median, due);
            return Optional.of(new Outcome.NoPenalty(address, window, median, reports.size()));
        }
        if (!records.claim(address, window, SENDING, reports.size(), median, due)) {
            return Optional.empty(); // claimed by another submitter (or a pass before this one)
        }
        if (channel.windowReported(window)) {
            records.mark(address, window, CONFIRMED, null, null);
            return Optional.of(new Outcome.AlreadyReported(address, window));
        }
        try {
            var receipt = channel.reportWindow(
                    window,
                    reports.stream()
                            .map(r -> new ChannelClient.WindowReport(r.availabilityBps(), r.signature()))
                            .toList());
            records.mark(address, window, CONFIRMED, receipt.getTransactionHash(), null);
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
                records.release(address, window);
                return Optional.empty();
            }
            if (e.error().equals("WindowAlreadyReported")) {
                records.mark(address, window, CONFIRMED, null, null);
                return Optional.of(new Outcome.AlreadyReported(address, window));
            }
            records.mark(address, window, REFUSED, null, e.getMessage());
            log.atWarn()
                    .addKeyValue("channel", address)
                    .addKeyValue("window", window)
                    .log("the chain refused the window: {}", e.getMessage());
            return Optional.of(new Outcome.Refused(address, window, e.getMessage()));
        }
        // anything else (the node down, a timeout) leaves the claim SENDING: looked at again after retryAfter
    }
}
