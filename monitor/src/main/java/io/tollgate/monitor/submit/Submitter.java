package io.tollgate.monitor.submit;

import static io.tollgate.protocol.sla.SubmissionState.CONFIRMED;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.TransactionManager;

/**
 * Reports ended windows on chain. A window is submitted once it has ended (by this clock or the newest block's
 * time, whichever is later; the contract refuses a window not over, and it is tried again) and has signed reports
 * of every monitor the channel names, or of a quorum once {@code collectFor} has passed since its end (a monitor
 * that is down holds nothing up for long). Windows without a quorum {@code giveUpAfter} their end are left alone:
 * nothing is paid for them. Only reports whose signature recovers to the monitor that wrote them and that the
 * channel names are sent ({@link ReportCheck}); the contract takes their median and pays the tier's penalty from
 * the collateral.
 *
 * <p>Never twice: a window is first claimed in {@code sla_submission} ({@link SubmissionRecords}; one claim,
 * whatever the replicas and restarts), then checked on chain, and only then sent; the contract refuses a second
 * report of a window anyway. A claim whose transaction did not confirm (a crash, the node down) is looked at again
 * after {@code retryAfter}: confirmed if the chain has the window, released for a new attempt if not.
 *
 * <p>Each pass dispatches per channel: release 2 channels ({@link SlaSettlement#release}) settle in two steps
 * ({@link TwoStepSettlement}), release 1 channels are reported in one step ({@link OneStepReporting}), as before,
 * until none is left.
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

    private final SubmissionRecords records;
    private final OneStepReporting oneStep;
    private final TwoStepSettlement twoStep;
    private final Web3j web3j;
    private final TransactionManager sender;
    private final BigInteger gasPriceCeiling;
    private final Duration retryAfter;
    private final Clock clock;
    /** The chain clock's lead last warned about, in minutes. */
    private volatile long warnedLead;

    public Submitter(
            JdbcClient jdbc,
            Web3j web3j,
            TransactionManager sender,
            long chainId,
            BigInteger gasPriceCeiling,
            Duration collectFor,
            boolean allWindows,
            Duration retryAfter,
            Duration giveUpAfter,
            Clock clock) {
        this.records = new SubmissionRecords(jdbc, clock);
        var check = new ReportCheck(chainId);
        this.oneStep = new OneStepReporting(records, check, collectFor, allWindows, giveUpAfter, clock);
        this.twoStep = new TwoStepSettlement(
                records, check, web3j, sender, gasPriceCeiling, collectFor, allWindows, giveUpAfter, clock);
        this.web3j = web3j;
        this.sender = sender;
        this.gasPriceCeiling = gasPriceCeiling;
        this.retryAfter = retryAfter;
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
            outcomes.addAll(
                    twoStep.applies(watch.channel())
                            ? twoStep.settle(watch, now)
                            : oneStep.report(channel, watch, now));
        }
        return outcomes;
    }

    /** Claims older than {@code retryAfter} that never confirmed: confirmed if the chain has them, else released. */
    private List<Outcome> recover(ChannelClient channel) {
        List<Outcome> outcomes = new ArrayList<>();
        List<Long> stale = records.stale(channel.address(), clock.instant().minus(retryAfter));
        for (long window : stale) {
            if (channel.windowReported(window)) {
                records.mark(channel.address(), window, CONFIRMED, null, null);
                outcomes.add(new Outcome.AlreadyReported(channel.address(), window));
            } else {
                records.release(channel.address(), window);
                log.atInfo()
                        .addKeyValue("channel", channel.address())
                        .addKeyValue("window", window)
                        .log("an unconfirmed submission is released for another attempt");
            }
        }
        return outcomes;
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
