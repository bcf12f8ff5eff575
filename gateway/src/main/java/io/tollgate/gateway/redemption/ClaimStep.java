package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.redemption.RedemptionScheduler.Outcome;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The redemption of a channel of release 2, beside the two-phase one (the {@link RedemptionScheduler} picks it
 * by the channel's release), one step at a time: it reads the best voucher of each category of every open epoch
 * from the ledger and what the chain claimed of it ({@code redeemedCounts}); when the {@link RedemptionRule} says a
 * claim is due (a close request makes it due at once) it claims each epoch whose best counts exceed the claimed
 * ones, sending only the categories with more to pay, and logs the value the chain paid. Otherwise, when the
 * owner rotated the signer while an epoch was expiring (the rotation then waits for a new epoch) and no epoch
 * expires any more, it starts an epoch with the active prices, so the rotation takes effect.
 *
 * <p>Each claim is journaled ({@link ClaimJournal}) before it is sent. The counts are read from the chain again
 * right before a claim: an intent the chain shows done (its receipt was lost) is settled and not sent again,
 * and a claim the chain refuses as already claimed ({@code ClaimNotAbove}: another key or a transaction this
 * gateway did not see) counts as done.
 */
final class ClaimStep {

    private static final Logger log = LoggerFactory.getLogger(ClaimStep.class);

    private final ChannelStateCache channels;
    private final RedemptionChain chain;
    private final ClaimJournal journal;
    private final VoucherLedger ledger;
    private final RedemptionRule rule;
    /** To log the numbers behind a decision. */
    private final RedemptionDecision decision;

    private final Clock clock;
    private final Instant startedAt;
    /** The counts the chain showed claimed, per channel and epoch (read again before each claim). */
    private final Map<String, List<Long>> claimed = new ConcurrentHashMap<>();
    /** Price tables of epochs the channel's state no longer carries (fixed once an epoch opened). */
    private final Map<String, PriceTable> prices = new ConcurrentHashMap<>();

    ClaimStep(
            ChannelStateCache channels,
            RedemptionChain chain,
            ClaimJournal journal,
            VoucherLedger ledger,
            RedemptionRule rule,
            RedemptionDecision decision,
            Clock clock,
            Instant startedAt) {
        this.channels = channels;
        this.chain = chain;
        this.journal = journal;
        this.ledger = ledger;
        this.rule = rule;
        this.decision = decision;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    /** What one epoch would pay if claimed now: the best vouchers above the claimed counts, and their value. */
    record Unclaimed(long epoch, List<PaidVoucher> vouchers, Wei value) {}

    Mono<Outcome> step(ChannelState state) {
        String channel = state.channel();
        return Mono.zip(bestVouchers(channel, state.oldestUnredeemedEpoch()), journal.lastRequested(channel))
                .flatMap(t -> Flux.fromIterable(t.getT1().entrySet())
                        .concatMap(epoch -> unclaimed(state, epoch.getKey(), epoch.getValue()))
                        .filter(u -> !u.vouchers().isEmpty())
                        .collectList()
                        .flatMap(unclaimed -> {
                            Wei value = unclaimed.stream().map(Unclaimed::value).reduce(Wei.ZERO, Wei::plus);
                            Instant now = clock.instant();
                            return rule.due(state, value, t.getT2().orElse(startedAt), now)
                                    .flatMap(decided -> {
                                        if (!(decided instanceof RedemptionDecision.Decision.Redeem due)) {
                                            return rotation(state, now);
                                        }
                                        // the *Wei amounts of the numbers are base units of this token (wei for
                                        // ether); the gas figures are wei
                                        var claiming = log.atInfo()
                                                .addKeyValue("channel", channel)
                                                .addKeyValue("token", state.token())
                                                .addKeyValue(
                                                        "epochs",
                                                        unclaimed.stream()
                                                                .map(Unclaimed::epoch)
                                                                .toList());
                                        decision.numbers(decided).forEach(claiming::addKeyValue);
                                        claiming.log("claiming");
                                        return Flux.fromIterable(unclaimed)
                                                .concatMap(u -> claim(channel, u, due.reason()))
                                                .reduce(false, Boolean::logicalOr)
                                                .map(any -> any ? Outcome.CLAIMED : Outcome.NOTHING_DUE);
                                    });
                        }));
    }

    /** The stored best voucher of each category of every epoch from {@code oldest} on, by epoch. */
    private Mono<Map<Long, List<PaidVoucher>>> bestVouchers(String channel, long oldest) {
        return ledger.best(channel).map(best -> best.tailMap(oldest, true));
    }

    private Mono<Unclaimed> unclaimed(ChannelState state, long epoch, List<PaidVoucher> best) {
        String channel = state.channel();
        return Mono.zip(claimedCounts(channel, epoch), prices(state, epoch)).map(t -> {
            var more = new ArrayList<PaidVoucher>();
            Wei value = Wei.ZERO;
            for (var v : best) {
                long before = countOf(t.getT1(), v.voucher().category());
                if (v.voucher().count() > before && t.getT2().has(v.voucher().category())) {
                    more.add(v);
                    value = value.plus(
                            t.getT2().cost(v.voucher().category(), v.voucher().count() - before));
                }
            }
            return new Unclaimed(epoch, List.copyOf(more), value);
        });
    }

    private Mono<List<Long>> claimedCounts(String channel, long epoch) {
        List<Long> known = claimed.get(key(channel, epoch));
        if (known != null) {
            return Mono.just(known);
        }
        return chain.claimedCounts(channel, epoch).doOnNext(counts -> claimed.put(key(channel, epoch), counts));
    }

    private Mono<PriceTable> prices(ChannelState state, long epoch) {
        Optional<PriceTable> inState = state.terms(epoch).map(EpochTerms::table);
        if (inState.isPresent()) {
            return Mono.just(inState.get());
        }
        String key = key(state.channel(), epoch);
        PriceTable known = prices.get(key);
        if (known != null) {
            return Mono.just(known);
        }
        return chain.pricesOf(state.channel(), epoch).doOnNext(table -> prices.put(key, table));
    }

    /** Claims one epoch: true when a claim was mined. */
    private Mono<Boolean> claim(String channel, Unclaimed unclaimed, RedemptionDecision.Reason reason) {
        long epoch = unclaimed.epoch();
        Instant now = clock.instant();
        return chain.claimedCounts(channel, epoch).flatMap(onChain -> {
            claimed.put(key(channel, epoch), onChain);
            var send = unclaimed.vouchers().stream()
                    .filter(v ->
                            v.voucher().count() > countOf(onChain, v.voucher().category()))
                    .toList();
            var target = new ArrayList<>(onChain);
            for (var v : send) {
                while (target.size() <= v.voucher().category()) {
                    target.add(0L);
                }
                target.set(v.voucher().category(), v.voucher().count());
            }
            return journal.settle(channel, epoch, onChain, now).then(Mono.defer(() -> {
                if (send.isEmpty()) {
                    return Mono.just(false); // claimed meanwhile (by the payout, or a claim whose receipt we lost)
                }
                return journal.intend(channel, epoch, target, reason.name(), now)
                        .flatMap(id -> chain.claim(channel, epoch, send)
                                .flatMap(paid -> journal.claimed(
                                                id, paid.transactionHash(), paid.amount(), clock.instant())
                                        .doOnSuccess(ok -> {
                                            claimed.put(key(channel, epoch), List.copyOf(target));
                                            channels.invalidate(channel);
                                            log.atInfo()
                                                    .addKeyValue("channel", channel)
                                                    .addKeyValue("epoch", epoch)
                                                    .addKeyValue("counts", paid.counts())
                                                    .addKeyValue(
                                                            "claimedWei",
                                                            paid.amount().toString())
                                                    .addKeyValue("tx", paid.transactionHash())
                                                    .log("claimed");
                                        })
                                        .thenReturn(true))
                                .onErrorResume(
                                        e -> e instanceof ChannelRevertedException r
                                                && r.error().equals("ClaimNotAbove"),
                                        e -> {
                                            // the chain has these counts already: read them again next tick
                                            claimed.remove(key(channel, epoch));
                                            log.atInfo()
                                                    .addKeyValue("channel", channel)
                                                    .addKeyValue("epoch", epoch)
                                                    .log("already claimed on chain: {}", e.getMessage());
                                            return Mono.just(false);
                                        }));
            }));
        });
    }

    /**
     * A signer rotated while an epoch was expiring waits for a new epoch: once none expires (and no close was
     * requested, which opens no epoch), start one with the active prices.
     */
    private Mono<Outcome> rotation(ChannelState state, Instant now) {
        boolean expiring = state.epochs().values().stream()
                .anyMatch(t -> t.expiresAt().filter(now::isBefore).isPresent());
        if (state.pendingSigner().isEmpty() || state.closing() || expiring) {
            return Mono.just(Outcome.NOTHING_DUE);
        }
        String channel = state.channel();
        return chain.startEpoch(channel, state.activeTerms().table())
                .doOnSuccess(tx -> {
                    channels.invalidate(channel);
                    log.atInfo()
                            .addKeyValue("channel", channel)
                            .addKeyValue("epoch", state.activeEpoch() + 1)
                            .addKeyValue("signer", state.pendingSigner().get())
                            .addKeyValue("tx", tx)
                            .log("epoch started for the rotated signer");
                })
                .thenReturn(Outcome.EPOCH_STARTED);
    }

    private static long countOf(List<Long> counts, int category) {
        return category < counts.size() ? counts.get(category) : 0;
    }

    private static String key(String channel, long epoch) {
        return channel + "|" + epoch;
    }
}
