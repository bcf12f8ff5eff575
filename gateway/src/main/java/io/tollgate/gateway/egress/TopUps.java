package io.tollgate.gateway.egress;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tops up an egress channel's deposit with a funding key when the provider's gateway reports its remaining
 * credit below a threshold: at most one top-up per channel at a time, off the request path, and only as far
 * as the channel's {@link TopUpBudget} allows (N per period, a total per channel, kept in Redis). The credit is
 * what the provider says, so a provider reporting zero on every answer gets at most the budget; once it is
 * used up, requests the channel cannot pay (by the provider's own report) are answered {@code
 * egress-channel-unfunded} here instead of being signed, until the deposit grows.
 */
public final class TopUps {
    private static final Logger log = LoggerFactory.getLogger(TopUps.class);

    private final Web3j web3j;
    private final TransactionManager funder;
    private final Wei below;
    private final Wei amount;
    private final TopUpBudget budget;
    private final ChannelStateCache channels;
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** The last low credit a provider reported per channel, with the deposit the gateway knew then. */
    private final Map<String, Low> low = new ConcurrentHashMap<>();
    /** Why the last top-up of a channel was refused, and until when that holds. */
    private final Map<String, Refused> refused = new ConcurrentHashMap<>();

    private record Low(Wei credit, Wei depositSeen) {}

    private record Refused(TopUpBudget.Verdict verdict, Instant until) {}

    public TopUps(
            Web3j web3j,
            TransactionManager funder,
            Wei below,
            Wei amount,
            TopUpBudget budget,
            ChannelStateCache channels,
            Clock clock) {
        this.web3j = web3j;
        this.funder = funder;
        this.below = below;
        this.amount = amount;
        this.budget = budget;
        this.channels = channels;
        this.clock = clock;
    }

    /**
     * Called with the credit an accepted response reported and the channel's unredeemed deposit as this
     * gateway knew it when it signed.
     */
    public void observe(String channel, Wei remainingCredit, Wei depositSeen) {
        if (remainingCredit.compareTo(below) >= 0) {
            low.remove(channel);
            return;
        }
        low.put(channel, new Low(remainingCredit, depositSeen));
        if (!running.add(channel)) {
            return;
        }
        budget.reserve(channel, amount)
                .flatMap(verdict -> switch (verdict) {
                    case TopUpBudget.Verdict.Granted granted -> send(channel, granted);
                    case TopUpBudget.Verdict.PeriodLimit limit -> {
                        refuse(channel, verdict, clock.instant().plus(limit.retryIn()));
                        yield Mono.<Void>empty();
                    }
                    case TopUpBudget.Verdict.TotalLimit limit -> {
                        refuse(channel, verdict, Instant.MAX);
                        yield Mono.<Void>empty();
                    }
                })
                .doOnError(e -> log.atWarn().addKeyValue("channel", channel).log("top-up failed: {}", e.toString()))
                .doFinally(signal -> running.remove(channel))
                .onErrorComplete()
                .subscribe();
    }

    private Mono<Void> send(String channel, TopUpBudget.Verdict.Granted granted) {
        refused.remove(channel);
        return Mono.fromRunnable(() -> new ChannelClient(web3j, channel, funder, BigInteger.ZERO).depositEther(amount))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnSuccess(ignored -> {
                    channels.invalidate(channel);
                    log.atInfo()
                            .addKeyValue("channel", channel)
                            .addKeyValue("amountWei", amount.toString())
                            .addKeyValue("topUpTotalWei", granted.totalAfter().toString())
                            .log("topped up the egress channel");
                })
                .onErrorResume(
                        ChannelRevertedException.class,
                        notSent -> budget.release(channel, amount, granted.id()).then(Mono.error(notSent)))
                .then();
    }

    private void refuse(String channel, TopUpBudget.Verdict verdict, Instant until) {
        var previous = refused.put(channel, new Refused(verdict, until));
        if (previous != null && previous.verdict().getClass() == verdict.getClass()) {
            return; // said once per reason
        }
        var line = log.atWarn().addKeyValue("channel", channel).addKeyValue("reason", reason(verdict));
        switch (verdict) {
            case TopUpBudget.Verdict.PeriodLimit p ->
                line.addKeyValue("grants", p.grants())
                        .addKeyValue("retryInSeconds", p.retryIn().toSeconds());
            case TopUpBudget.Verdict.TotalLimit t ->
                line.addKeyValue("topUpTotalWei", t.total().toString())
                        .addKeyValue("maxTotalWei", t.maxTotal().toString());
            case TopUpBudget.Verdict.Granted g -> {}
        }
        line.log("top-up refused: the channel's top-up budget is used up");
    }

    private static String reason(TopUpBudget.Verdict verdict) {
        return switch (verdict) {
            case TopUpBudget.Verdict.PeriodLimit p -> "max-per-period";
            case TopUpBudget.Verdict.TotalLimit t -> "max-total";
            case TopUpBudget.Verdict.Granted g -> "granted";
        };
    }

    /**
     * Before signing: a refusal when the provider last reported less credit than {@code price}, no top-up may
     * be made, and the deposit has not grown since (an owner's own deposit clears it).
     */
    public Optional<Refusal> cannotPay(String channel, int category, Wei price, Wei deposit) {
        Low last = low.get(channel);
        if (last == null || last.credit().compareTo(price) >= 0) {
            return Optional.empty();
        }
        if (deposit.compareTo(last.depositSeen()) > 0) {
            low.remove(channel, last);
            return Optional.empty();
        }
        Refused why = refused.get(channel);
        if (why == null || !clock.instant().isBefore(why.until())) {
            return Optional.empty();
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("channel", channel);
        members.put("category", category);
        members.put("priceWei", price.toString());
        members.put("remainingCreditWei", last.credit().toString());
        members.put("reason", reason(why.verdict()));
        String next = switch (why.verdict()) {
            case TopUpBudget.Verdict.PeriodLimit p -> {
                members.put("retryInSeconds", p.retryIn().toSeconds());
                yield "the next top-up is allowed in " + p.retryIn().toSeconds() + " s";
            }
            case TopUpBudget.Verdict.TotalLimit t -> {
                members.put("topUpTotalWei", t.total().toString());
                members.put("maxTotalWei", t.maxTotal().toString());
                yield "its top-ups reached the maximum of " + t.maxTotal()
                        + " wei (tollgate.gateway.egress.top-up.max-total)";
            }
            case TopUpBudget.Verdict.Granted g -> "";
        };
        return Optional.of(new Refusal(
                PaymentProblem.EGRESS_CHANNEL_UNFUNDED,
                "the provider reports " + last.credit() + " wei of credit left, less than the price of " + price
                        + " wei, and the channel gets no top-up: " + next
                        + ". Deposit into the channel with the owner's key; nothing was signed",
                members));
    }
}
