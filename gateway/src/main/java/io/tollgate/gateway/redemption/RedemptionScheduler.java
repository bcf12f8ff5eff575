package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.ledger.LedgerKeys;
import io.tollgate.gateway.redemption.RedemptionJournal.Step;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.Wei;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Redeems channels in two phases: when {@link RedemptionDecision} says the active epoch is due (worth its
 * estimated gas, exposure share, close requested, max age; never on a timer alone) it journals the intent, calls
 * {@code startRedemption}, journals STARTED with the time the epoch may be finished (T_r later); once that time
 * passed it reads the epoch's best vouchers from the ledger, calls {@code finishRedemption} and journals FINISHED. A restart resumes from the journal: a start
 * whose transaction already took effect on chain is recognised from chain state and not sent twice. Exactly
 * one replica works on a channel at a time (a lease in Redis).
 *
 * <p>Each channel runs on its own T_r and T_c, read once from the chain (they are fixed at creation): a
 * redemption is finished T_r after its start, and the channel's close state is read from the chain again at
 * least every T_c/k ({@code close-notice-divisor}), so a close request is noticed within T_c/k plus one tick
 * and, with {@code T_c ≥ 2·T_r + 30 s} ({@link ChannelTimes#minimumCloseDelay}), the last epoch is redeemed
 * before the close time. Once nothing is left to redeem (the last epoch of a closing channel was redeemed, or
 * the channel is closed) the channel is left alone: no more steps, chain reads or logs for it.
 *
 * <p>A channel of release 2 redeems in one step instead ({@link ClaimStep}): claims of the best vouchers so far,
 * each paying what was not claimed before, and an epoch started when a rotated signer waits for one.
 */
public final class RedemptionScheduler implements SmartLifecycle {

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
    private final RedemptionDecision decision;
    private final ReactiveStringRedisTemplate redis;
    private final String keyPrefix;
    private final RedemptionProperties properties;
    private final Duration tolerance;
    private final Clock clock;
    private final String replica = UUID.randomUUID().toString();
    private final Instant startedAt;
    private volatile Disposable ticker;
    private final java.util.Set<String> warnedNotOperator = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Each channel's T_r and T_c as the chain holds them (immutable). */
    private final Map<String, ChannelTimes> times = new java.util.concurrent.ConcurrentHashMap<>();
    /** When the scheduler last read each channel's close state from the chain itself. */
    private final Map<String, Instant> readAt = new java.util.concurrent.ConcurrentHashMap<>();
    /** Channels with nothing left to redeem, and why: left alone from then on. */
    private final Map<String, Outcome> settled = new java.util.concurrent.ConcurrentHashMap<>();
    /** The redemption of channels of release 2. */
    private final ClaimStep claims;

    public RedemptionScheduler(
            ChannelStateCache channels,
            RedemptionChain chain,
            RedemptionJournal journal,
            ReactiveStringRedisTemplate redis,
            String keyPrefix,
            RedemptionProperties properties,
            Duration tolerance,
            Clock clock) {
        this.channels = channels;
        this.chain = chain;
        this.journal = journal;
        this.decision =
                new RedemptionDecision(properties.worthRatio(), properties.exposureShareBps(), properties.maxAge());
        var claimRule = properties.claims();
        var claimDecision =
                new RedemptionDecision(claimRule.worthRatio(), claimRule.exposureShareBps(), claimRule.maxAge());
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.properties = properties;
        this.tolerance = tolerance;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.claims = new ClaimStep(
                channels,
                chain,
                new ClaimJournal(journal.dataSource()),
                redis,
                keyPrefix,
                // the seam of the redemption rule for release 2: its own settings, a claim's measured gas
                ClaimRule.of(claimDecision, chain, properties.gas()::claim),
                claimDecision,
                clock,
                startedAt);
    }

    /**
     * Takes the channel's lease, or extends it when this replica holds it already: one atomic step, so two
     * replicas never both hold it. Returns 1 when held by this replica.
     */
    static final RedisScript<Long> HOLD_LEASE = RedisScript.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """, Long.class);

    /**
     * One step for one channel: start, wait, finish, or nothing. The step runs only while this replica holds
     * the channel's lease, and the lease is extended every third of its length for as long as the step runs (a
     * transaction waiting for its receipt can take longer than the lease); a replica that dies lets it expire.
     */
    public Mono<Outcome> step(String channel) {
        Outcome done = settled.get(channel);
        if (done != null) {
            return Mono.just(done);
        }
        String lease = LedgerKeys.of(keyPrefix, channel).best().replace(":best", ":redemption-lease");
        return hold(lease)
                .flatMap(mine -> mine
                        ? Mono.defer(() -> {
                            Disposable renewing = Flux.interval(
                                            properties.lease().dividedBy(3), Schedulers.parallel())
                                    .concatMap(tick -> hold(lease).onErrorReturn(false))
                                    .filter(held -> !held)
                                    .subscribe(lost -> log.atWarn()
                                            .addKeyValue("channel", channel)
                                            .log("redemption lease could not be extended during a step"));
                            return stepHoldingLease(channel).doFinally(signal -> renewing.dispose());
                        })
                        : Mono.just(Outcome.LEASED_ELSEWHERE));
    }

    private Mono<Boolean> hold(String lease) {
        return redis.execute(
                        HOLD_LEASE,
                        List.of(lease),
                        List.of(replica, Long.toString(properties.lease().toMillis())))
                .next()
                .map(held -> held == 1L)
                .defaultIfEmpty(false);
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
                                        : state.claims()
                                                ? claimsOf(state, open)
                                                : open.isPresent()
                                                        ? resume(state, open.get(), own)
                                                        : maybeStart(state, own));
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
        return settle(state.channel(), Outcome.CHANNEL_CLOSED);
    }

    private Mono<Outcome> settle(String channel, Outcome why) {
        if (settled.putIfAbsent(channel, why) == null) {
            log.atInfo()
                    .addKeyValue("channel", channel)
                    .addKeyValue("outcome", why)
                    .log("nothing left to redeem: leaving the channel alone");
        }
        return Mono.just(why);
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

    private Mono<Outcome> maybeStart(ChannelState state, ChannelTimes own) {
        String channel = state.channel();
        Instant now = clock.instant();
        if (state.closesAt().isPresent()) {
            // after a close request no new epoch opens: once the active epoch is redeemed, nothing is left
            return journal.isFinished(channel, state.activeEpoch())
                    .flatMap(finished ->
                            finished ? settle(channel, Outcome.LAST_EPOCH_REDEEMED) : maybeStart(state, own, now));
        }
        return maybeStart(state, own, now);
    }

    private Mono<Outcome> maybeStart(ChannelState state, ChannelTimes own, Instant now) {
        String channel = state.channel();
        return Mono.zip(exposure(channel, state.activeEpoch()), journal.lastRequested(channel))
                .flatMap(t -> due(state, t.getT1(), t.getT2().orElse(startedAt), now))
                .flatMap(due -> {
                    if (!(due instanceof RedemptionDecision.Decision.Redeem redeem)) {
                        return Mono.just(Outcome.NOTHING_DUE);
                    }
                    long epoch = state.activeEpoch();
                    var starting = log.atInfo().addKeyValue("channel", channel).addKeyValue("epoch", epoch);
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
     * expiring; otherwise {@link RedemptionDecision} on the epoch's value (its exposure, at most the deposit),
     * its age (since the last redemption was requested, or since this scheduler started) and the estimated gas
     * of startRedemption + finishRedemption at the chain's current fee (read only then).
     */
    private Mono<RedemptionDecision.Decision> due(ChannelState state, Wei exposure, Instant last, Instant now) {
        boolean oneRunning =
                state.epochs().values().stream().anyMatch(t -> t.expiresAt().isPresent());
        var nothing = new RedemptionDecision.Input(
                Wei.ZERO, exposure, state.unredeemedDeposit(), false, Duration.ZERO, 0, Wei.ZERO);
        if (state.closed() || exposure.isZero() || oneRunning) {
            return Mono.just(new RedemptionDecision.Decision.Wait(nothing));
        }
        long gas = properties.gas().twoPhase(state.activeTerms().table().categories());
        return chain.fees()
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the chain gave no fee estimate")))
                .map(fees -> decision.decide(new RedemptionDecision.Input(
                        exposure.min(state.unredeemedDeposit()),
                        exposure,
                        state.unredeemedDeposit(),
                        state.closesAt().isPresent(),
                        Duration.between(last, now),
                        gas,
                        fees.perGas())))
                .doOnNext(decided -> {
                    if (decided instanceof RedemptionDecision.Decision.Wait && log.isDebugEnabled()) {
                        var waiting = log.atDebug().addKeyValue("channel", state.channel());
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
                            .then(Mono.defer(() -> lastEpoch(state, step)
                                    ? settle(channel, Outcome.LAST_EPOCH_REDEEMED)
                                    : Mono.empty()))
                            .thenReturn(Outcome.FINISHED);
                }
                // the chain's own end of the tolerance, when it is later than the journaled one
                Instant finishAfter = step.finishAfter().orElse(now);
                Instant onChain =
                        state.terms(step.epoch()).flatMap(t -> t.expiresAt()).orElse(finishAfter);
                if (now.isBefore(onChain.isAfter(finishAfter) ? onChain : finishAfter)) {
                    yield Mono.just(Outcome.WAITING_FOR_TOLERANCE);
                }
                yield bestVouchers(channel, step.epoch()).flatMap(vouchers -> {
                    Wei claimed = state.terms(step.epoch())
                            .map(terms -> vouchers.stream()
                                    .map(v -> terms.price(v.category())
                                            .orElse(Wei.ZERO)
                                            .times(v.count()))
                                    .reduce(Wei.ZERO, Wei::plus))
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
                            .then(Mono.defer(() -> lastEpoch(state, step)
                                    ? settle(channel, Outcome.LAST_EPOCH_REDEEMED)
                                    : Mono.empty()))
                            .thenReturn(Outcome.FINISHED);
                });
            }
            case FINISHED -> Mono.just(Outcome.NOTHING_DUE);
        };
    }

    /** Whether the step redeems the last epoch: a close was requested and no epoch opened after it. */
    private static boolean lastEpoch(ChannelState state, Step step) {
        return state.closesAt().isPresent() && step.epoch() == state.activeEpoch();
    }

    /** The stored best voucher of each category of an epoch, in category order. */
    public Mono<List<PaidVoucher>> bestVouchers(String channel, long epoch) {
        String prefix = epoch + ":";
        return redis.<String, String>opsForHash()
                .entries(LedgerKeys.of(keyPrefix, channel).best())
                .filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue)
                .map(VoucherHeaderCodec::decode)
                .collectList()
                .map(list -> {
                    var sorted = new ArrayList<>(list);
                    sorted.sort(Comparator.comparingInt(PaidVoucher::category));
                    return List.copyOf(sorted);
                });
    }

    private Mono<Wei> exposure(String channel, long epoch) {
        return redis.<String, String>opsForHash()
                .get(LedgerKeys.of(keyPrefix, channel).exposure(), Long.toString(epoch))
                .map(Wei::parse)
                .defaultIfEmpty(Wei.ZERO);
    }

    /** Channels with a ledger or an unfinished redemption. */
    Flux<String> knownChannels() {
        String pattern = keyPrefix + ":{0x*}:exposure";
        Flux<String> fromLedger = redis.scan(
                        ScanOptions.scanOptions().match(pattern).count(1000).build())
                .map(key -> key.substring(key.indexOf('{') + 1, key.indexOf('}')));
        return Flux.concat(fromLedger, journal.openChannels().flatMapMany(Flux::fromIterable))
                .distinct();
    }

    @Override
    public void start() {
        ticker = Flux.interval(properties.tick(), Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> knownChannels()
                        .filter(channel -> !settled.containsKey(channel))
                        .concatMap(channel -> step(channel).onErrorResume(e -> {
                            log.atWarn()
                                    .addKeyValue("channel", channel)
                                    .setCause(e)
                                    .log("redemption step failed; retried next tick");
                            return Mono.empty();
                        }))
                        .then()
                        .onErrorResume(e -> Mono.empty()))
                .subscribe();
    }

    @Override
    public void stop() {
        var running = ticker;
        ticker = null;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }
}
