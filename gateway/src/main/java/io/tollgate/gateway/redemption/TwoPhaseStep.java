package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.redemption.RedemptionJournal.Step;
import io.tollgate.gateway.redemption.RedemptionScheduler.Outcome;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The redemption of a channel of release 1, one step at a time, as a state machine over the journal's open step:
 * none open and {@link RedemptionDecision} says the active epoch is due (never on a timer alone): journal the
 * intent, {@code startRedemption}, journal STARTED with the time the epoch may be finished (T_r later); STARTED
 * and that time passed: read the epoch's best vouchers from the ledger, {@code finishRedemption}, journal
 * FINISHED. A START_PENDING left by a restart is recognised from chain state when the start already took effect,
 * and not sent twice; a finish whose receipt was lost is recognised the same way. Once the last epoch of a
 * closing channel is redeemed the channel is {@linkplain SettledChannels settled}.
 */
final class TwoPhaseStep {

    private static final Logger log = LoggerFactory.getLogger(RedemptionScheduler.class);

    private final ChannelStateCache channels;
    private final RedemptionChain chain;
    private final RedemptionJournal journal;
    private final VoucherLedger ledger;
    private final RedemptionRule rule;
    /** To log the numbers behind a decision. */
    private final RedemptionDecision decision;

    private final SettledChannels settled;
    private final Clock clock;
    private final Instant startedAt;

    TwoPhaseStep(
            ChannelStateCache channels,
            RedemptionChain chain,
            RedemptionJournal journal,
            VoucherLedger ledger,
            RedemptionRule rule,
            RedemptionDecision decision,
            SettledChannels settled,
            Clock clock,
            Instant startedAt) {
        this.channels = channels;
        this.chain = chain;
        this.journal = journal;
        this.ledger = ledger;
        this.rule = rule;
        this.decision = decision;
        this.settled = settled;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    /** Resumes the open step, or starts one when due. */
    Mono<Outcome> step(ChannelState state, Optional<Step> open, ChannelTimes own) {
        return open.isPresent() ? resume(state, open.get(), own) : maybeStart(state, own);
    }

    private Mono<Outcome> maybeStart(ChannelState state, ChannelTimes own) {
        String channel = state.channel();
        Instant now = clock.instant();
        if (state.closesAt().isPresent()) {
            // after a close request no new epoch opens: once the active epoch is redeemed, nothing is left
            return journal.isFinished(channel, state.activeEpoch())
                    .flatMap(finished -> finished
                            ? settled.settle(channel, Outcome.LAST_EPOCH_REDEEMED)
                            : maybeStart(state, own, now));
        }
        return maybeStart(state, own, now);
    }

    private Mono<Outcome> maybeStart(ChannelState state, ChannelTimes own, Instant now) {
        String channel = state.channel();
        return Mono.zip(ledger.exposure(channel, state.activeEpoch()), journal.lastRequested(channel))
                .flatMap(t -> due(state, t.getT1(), t.getT2().orElse(startedAt), now))
                .flatMap(due -> {
                    if (!(due instanceof RedemptionDecision.Decision.Redeem redeem)) {
                        return Mono.just(Outcome.NOTHING_DUE);
                    }
                    long epoch = state.activeEpoch();
                    // the value, exposure and deposit numbers are base units of the channel's token
                    var starting = log.atInfo()
                            .addKeyValue("channel", channel)
                            .addKeyValue("token", state.token())
                            .addKeyValue("epoch", epoch);
                    decision.numbers(due).forEach(starting::addKeyValue);
                    starting.log("starting redemption");
                    // no intent written: this epoch is journaled already (a stale view of the chain); send nothing
                    return journal.intend(channel, epoch, redeem.reason(), now)
                            .flatMap(intended -> intended
                                    ? chain.startRedemption(
                                                    channel, state.activeTerms().table())
                                            .flatMap(tx -> journal.started(
                                                    channel,
                                                    epoch,
                                                    Optional.of(tx),
                                                    clock.instant().plus(own.tolerance()),
                                                    clock.instant()))
                                            .doOnSuccess(ok -> channels.invalidate(channel))
                                            .thenReturn(Outcome.STARTED)
                                    : Mono.fromRunnable(() -> channels.invalidate(channel))
                                            .thenReturn(Outcome.NOTHING_DUE));
                });
    }

    /**
     * Whether the active epoch is due: nothing while the channel is closed, has no exposure or has an epoch
     * expiring; otherwise the {@link RedemptionRule} on
     * the epoch's exposure and its age (since the last redemption was requested, or since the scheduler started).
     */
    private Mono<RedemptionDecision.Decision> due(ChannelState state, Wei exposure, Instant last, Instant now) {
        boolean oneRunning =
                state.epochs().values().stream().anyMatch(t -> t.expiresAt().isPresent());
        if (state.closed() || exposure.isZero() || oneRunning) {
            return Mono.just(RedemptionRule.nothingDue(state, exposure));
        }
        return rule.due(state, exposure, last, now).doOnNext(decided -> {
            if (decided instanceof RedemptionDecision.Decision.Wait && log.isDebugEnabled()) {
                var waiting =
                        log.atDebug().addKeyValue("channel", state.channel()).addKeyValue("token", state.token());
                decision.numbers(decided).forEach(waiting::addKeyValue);
                waiting.log("not redeeming yet");
            }
        });
    }

    private Mono<Outcome> resume(ChannelState state, Step step, ChannelTimes own) {
        String channel = state.channel();
        Instant now = clock.instant();
        return switch (step.phase()) {
            case START_PENDING -> {
                // Did the start transaction take effect before we stopped? Then the epoch is expiring on chain.
                var terms = state.terms(step.epoch());
                // (after a requested close no new epoch opens, so the active epoch may stay the same)
                boolean startedOnChain = terms.flatMap(t -> t.expiresAt()).isPresent();
                if (startedOnChain) {
                    Instant finishAfter = terms.get().expiresAt().get();
                    yield journal.started(channel, step.epoch(), Optional.empty(), finishAfter, now)
                            .thenReturn(Outcome.STARTED);
                }
                yield chain.startRedemption(channel, state.activeTerms().table())
                        .flatMap(tx ->
                                journal.started(channel, step.epoch(), Optional.of(tx), now.plus(own.tolerance()), now))
                        .doOnSuccess(ok -> channels.invalidate(channel))
                        .thenReturn(Outcome.STARTED);
            }
            case STARTED -> {
                if (state.oldestUnredeemedEpoch() > step.epoch()) {
                    // the finish reached the chain but its receipt did not reach us: sending it again would
                    // revert (NoRedemption) on every tick
                    yield journal.finishedOnChain(channel, step.epoch(), now)
                            .then(settleIfLast(state, step))
                            .thenReturn(Outcome.FINISHED);
                }
                // the chain's own end of the tolerance, when it is later than the journaled one
                Instant finishAfter = step.finishAfter().orElse(now);
                Instant onChain =
                        state.terms(step.epoch()).flatMap(t -> t.expiresAt()).orElse(finishAfter);
                if (now.isBefore(onChain.isAfter(finishAfter) ? onChain : finishAfter)) {
                    yield Mono.just(Outcome.WAITING_FOR_TOLERANCE);
                }
                yield finish(state, step);
            }
            case FINISHED -> Mono.just(Outcome.NOTHING_DUE);
        };
    }

    /** {@code finishRedemption} with the epoch's best vouchers; journals what they are worth (at most the deposit). */
    private Mono<Outcome> finish(ChannelState state, Step step) {
        String channel = state.channel();
        return ledger.best(channel)
                .map(best -> best.getOrDefault(step.epoch(), List.of()))
                .flatMap(vouchers -> {
                    Wei claimed = state.terms(step.epoch())
                            .map(terms -> worth(terms.table(), vouchers))
                            .orElse(Wei.ZERO)
                            .min(state.unredeemedDeposit());
                    return chain.finishRedemption(channel, step.epoch(), vouchers)
                            .flatMap(tx -> journal.finished(channel, step.epoch(), tx, claimed, clock.instant()))
                            .doOnSuccess(ok -> {
                                channels.invalidate(channel);
                                log.atInfo()
                                        .addKeyValue("channel", channel)
                                        .addKeyValue("epoch", step.epoch())
                                        .addKeyValue("claimedWei", claimed.toString())
                                        .log("redemption finished");
                            })
                            .then(settleIfLast(state, step))
                            .thenReturn(Outcome.FINISHED);
                });
    }

    /** What the vouchers pay at the epoch's prices: Σ count × price (a category outside the table pays nothing). */
    private static Wei worth(PriceTable table, List<PaidVoucher> vouchers) {
        return vouchers.stream()
                .filter(v -> table.has(v.voucher().category()))
                .map(v -> table.cost(v.voucher().category(), v.voucher().count()))
                .reduce(Wei.ZERO, Wei::plus);
    }

    /** Settles the channel when the step redeemed its last epoch: a close was requested, no epoch opened after. */
    private Mono<Outcome> settleIfLast(ChannelState state, Step step) {
        return Mono.defer(() -> state.closesAt().isPresent() && step.epoch() == state.activeEpoch()
                ? settled.settle(state.channel(), Outcome.LAST_EPOCH_REDEEMED)
                : Mono.empty());
    }
}
