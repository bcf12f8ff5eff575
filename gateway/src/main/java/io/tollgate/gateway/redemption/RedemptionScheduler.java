package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.redemption.RedemptionJournal.Step;
import io.tollgate.gateway.voucher.PaidVoucher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Redeems channels, one step per channel at a time: a channel of release 1 in two phases ({@link TwoPhaseStep}:
 * start when {@link RedemptionDecision} says the active epoch is due, finish T_r later, resumed from the
 * journal after a restart), a channel of release 2 in one ({@link ClaimStep}: claims of the best vouchers so
 * far, and an epoch started when a rotated signer waits for one). Exactly one replica works on a channel at a
 * time ({@link RedemptionLease}); {@link #tick} steps every channel the ledger or the journal knows, and a
 * {@link io.tollgate.settings.schedule.Ticker} runs it every {@code tick}.
 *
 * <p>Each channel runs on its own T_r and T_c, read once from the chain (they are fixed at creation): a
 * redemption is finished T_r after its start, and the channel's close state is read from the chain again at
 * least every T_c/k ({@code close-notice-divisor}), so a close request is noticed within T_c/k plus one tick
 * and, with {@code T_c ≥ 2·T_r + 30 s} ({@link ChannelTimes#minimumCloseDelay}), the last epoch is redeemed
 * before the close time. Once nothing is left to redeem (the last epoch of a closing channel was redeemed, or
 * the channel is closed) the channel is left alone: no more steps, chain reads or logs for it.
 */
public final class RedemptionScheduler {

    private static final Logger log = LoggerFactory.getLogger(RedemptionScheduler.class);

    /** What one step did, for tests and logs. */
    public enum Outcome {
        NOTHING_DUE,
        LEASED_ELSEWHERE,
        STARTED,
        WAITING_FOR_TOLERANCE,
        FINISHED,
        CHANNEL_REFUSED,
        /** The channel names another operator: only that key may redeem it, so nothing is sent. */
        NOT_OPERATOR,
        /** A close was requested and its last epoch is redeemed: nothing is left to redeem, ever. */
        LAST_EPOCH_REDEEMED,
        /** The channel is closed (terminal): nothing can be redeemed. */
        CHANNEL_CLOSED,
        /** Release 2: a claim paid the best vouchers' counts above what was claimed before. */
        CLAIMED,
        /** Release 2: an epoch started so that a rotated signer takes effect. */
        EPOCH_STARTED
    }

    private final ChannelStateCache channels;
    private final RedemptionChain chain;
    private final RedemptionJournal journal;
    private final VoucherLedger ledger;
    private final RedemptionLease lease;
    private final RedemptionProperties properties;
    private final Duration tolerance;
    private final Clock clock;
    private final Set<String> warnedNotOperator = ConcurrentHashMap.newKeySet();
    /** Each channel's T_r and T_c as the chain holds them (immutable). */
    private final Map<String, ChannelTimes> times = new ConcurrentHashMap<>();
    /** When the scheduler last read each channel's close state from the chain itself. */
    private final Map<String, Instant> readAt = new ConcurrentHashMap<>();

    private final SettledChannels settled = new SettledChannels();
    /** The redemption of channels of release 1. */
    private final TwoPhaseStep twoPhase;
    /** The redemption of channels of release 2. */
    private final ClaimStep claims;

    /**
     * @param ledger where the best vouchers and exposures are read (the ledger the payment filter records in)
     * @param tolerance the T_r assumed when the chain client cannot read a channel's own
     */
    public RedemptionScheduler(
            ChannelStateCache channels,
            RedemptionChain chain,
            RedemptionJournal journal,
            VoucherLedger ledger,
            RedemptionLease lease,
            RedemptionProperties properties,
            Duration tolerance,
            Clock clock) {
        this.channels = channels;
        this.chain = chain;
        this.journal = journal;
        this.ledger = ledger;
        this.lease = lease;
        this.properties = properties;
        this.tolerance = tolerance;
        this.clock = clock;
        Instant startedAt = clock.instant();
        var decision =
                new RedemptionDecision(properties.worthRatio(), properties.exposureShareBps(), properties.maxAge());
        this.twoPhase = new TwoPhaseStep(
                channels,
                chain,
                journal,
                ledger,
                // release 1: its own settings, the gas of start + finish
                RedemptionRule.of(decision, chain, properties.gas()::twoPhase),
                decision,
                settled,
                clock,
                startedAt);
        var claimRule = properties.claims();
        var claimDecision =
                new RedemptionDecision(claimRule.worthRatio(), claimRule.exposureShareBps(), claimRule.maxAge());
        this.claims = new ClaimStep(
                channels,
                chain,
                new ClaimJournal(journal.dataSource()),
                ledger,
                // the seam of the redemption rule for release 2: its own settings, a claim's measured gas
                RedemptionRule.of(claimDecision, chain, properties.gas()::claim),
                claimDecision,
                clock,
                startedAt);
    }

    /**
     * One step for one channel: start, wait, finish, claim, or nothing. The step runs only while this replica
     * holds the channel's lease (renewed for as long as the step runs); a replica that dies lets it expire.
     */
    public Mono<Outcome> step(String channel) {
        Optional<Outcome> done = settled.of(channel);
        if (done.isPresent()) {
            return Mono.just(done.get());
        }
        return lease.holding(channel, () -> stepHoldingLease(channel), Outcome.LEASED_ELSEWHERE);
    }

    /**
     * One step for every channel the ledger or the journal knows and that is not settled, one after another; a
     * channel whose step fails is logged and stepped again at the next tick.
     */
    public Mono<Void> tick() {
        return knownChannels()
                .filter(channel -> !settled.contains(channel))
                .concatMap(channel -> step(channel).onErrorResume(e -> {
                    log.atWarn()
                            .addKeyValue("channel", channel)
                            .setCause(e)
                            .log("redemption step failed; retried next tick");
                    return Mono.empty();
                }))
                .then();
    }

    private Mono<Outcome> stepHoldingLease(String channel) {
        return timesOf(channel)
                .flatMap(own -> lookup(channel, own).flatMap(lookup -> switch (lookup) {
                    case ChannelLookup.Refused refused -> Mono.just(Outcome.CHANNEL_REFUSED);
                    case ChannelLookup.Found(ChannelState state) when !ours(state) -> Mono.just(Outcome.NOT_OPERATOR);
                    case ChannelLookup.Found(ChannelState state) ->
                        journal.open(channel)
                                .flatMap(open -> state.closed()
                                        ? closed(state, open)
                                        : state.claims() ? claimsOf(state, open) : twoPhase.step(state, open, own));
                }));
    }

    /**
     * The channel's T_r and T_c, read from the chain once; when the chain client cannot tell, the configured
     * tolerance and an unknown T_c (then the close state is read from the chain on every tick).
     */
    private Mono<ChannelTimes> timesOf(String channel) {
        ChannelTimes known = times.get(channel);
        if (known != null) {
            return Mono.just(known);
        }
        return chain.times(channel)
                .doOnNext(read -> times.put(channel, read))
                // not readable (not an Intermediary, node down): asked again next tick; the lookup decides
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(new ChannelTimes(tolerance, Duration.ZERO));
    }

    /** The cached state, or the chain's own when the close state was last read T_c/k ago or more. */
    private Mono<ChannelLookup> lookup(String channel, ChannelTimes own) {
        Instant now = clock.instant();
        Duration noticeWithin = own.closeDelay().dividedBy(properties.closeNoticeDivisor());
        Instant last = readAt.get(channel);
        if (last != null && now.isBefore(last.plus(noticeWithin))) {
            return channels.lookup(channel);
        }
        return channels.fresh(channel).doOnNext(read -> readAt.put(channel, now));
    }

    /** A channel of release 2; a two-phase redemption begun before it was upgraded is left to the claims. */
    private Mono<Outcome> claimsOf(ChannelState state, Optional<Step> open) {
        if (open.isEmpty()) {
            return claims.step(state);
        }
        log.atInfo()
                .addKeyValue("channel", state.channel())
                .addKeyValue("epoch", open.get().epoch())
                .addKeyValue("phase", open.get().phase())
                .log("the channel was upgraded to one-step claims: its two-phase redemption is left to them");
        return journal.superseded(state.channel(), clock.instant()).then(claims.step(state));
    }

    /** A closed channel: nothing can be redeemed any more; an epoch still open in the journal is lost. */
    private Mono<Outcome> closed(ChannelState state, Optional<Step> open) {
        open.ifPresent(step -> log.atWarn()
                .addKeyValue("channel", state.channel())
                .addKeyValue("epoch", step.epoch())
                .addKeyValue("phase", step.phase())
                .log("the channel was closed before this epoch was redeemed: its vouchers are not paid"));
        return settled.settle(state.channel(), Outcome.CHANNEL_CLOSED);
    }

    /**
     * Whether this gateway's key may redeem the channel: the contract refuses any other (NotOperator), and a
     * call that is bound to revert would be retried every tick. Says so once per channel.
     */
    private boolean ours(ChannelState state) {
        var mine = chain.operatorAddress();
        if (mine.isEmpty() || state.operator().equalsIgnoreCase(mine.get())) {
            return true;
        }
        if (warnedNotOperator.add(state.channel())) {
            log.atWarn()
                    .addKeyValue("channel", state.channel())
                    .addKeyValue("channelOperator", state.operator())
                    .addKeyValue("operator", mine.get())
                    .log("not redeeming: the channel names another operator; set the listing's operator so such"
                            + " vouchers are refused");
        }
        return false;
    }

    /** The stored best voucher of each category of an epoch, in category order. */
    public Mono<List<PaidVoucher>> bestVouchers(String channel, long epoch) {
        return ledger.best(channel).map(best -> best.getOrDefault(epoch, List.of()));
    }

    /** Channels with a ledger or an unfinished redemption. */
    Flux<String> knownChannels() {
        return Flux.concat(ledger.channels(), journal.openChannels().flatMapMany(Flux::fromIterable))
                .distinct();
    }
}
