package io.tollgate.gateway.egress;

import io.tollgate.client.ChainTopUp;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.pricing.TokenUnit;
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
import org.web3j.crypto.Credentials;
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
 *
 * <p>Each token has its own {@link Plan} (threshold, amount, budget, in its smallest unit): an ether channel is
 * topped up with ether, a token channel with one permit and {@code depositWithPermit} where the token supports
 * EIP-2612 and approve then deposit otherwise ({@link ChainTopUp}); a channel whose token has no plan gets none.
 */
public final class TopUps {
    private static final Logger log = LoggerFactory.getLogger(TopUps.class);

    /**
     * The top-ups of the channels holding one token.
     *
     * @param unit what the amounts count (for messages)
     * @param below top up when the provider reports less credit than this
     * @param amount what each top-up adds
     * @param budget how many top-ups each channel of the token may get
     */
    public record Plan(TokenUnit unit, Wei below, Wei amount, TopUpBudget budget) {}

    private final Web3j web3j;
    private final Credentials funderKey;
    private final TransactionManager funder;
    private final Map<String, Plan> plans;
    private final ChannelStateCache channels;
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** The last low credit a provider reported per channel, with the deposit the gateway knew then. */
    private final Map<String, Low> low = new ConcurrentHashMap<>();
    /** Why the last top-up of a channel was refused, and until when that holds. */
    private final Map<String, Refused> refused = new ConcurrentHashMap<>();

    private record Low(Wei credit, Wei depositSeen, Plan plan) {}

    private record Refused(TopUpBudget.Verdict verdict, Instant until) {}

    /** @param plans by token address, lower case ({@link ChannelState#ETHER} for ether) */
    public TopUps(
            Web3j web3j,
            Credentials funderKey,
            TransactionManager funder,
            Map<String, Plan> plans,
            ChannelStateCache channels,
            Clock clock) {
        this.web3j = web3j;
        this.funderKey = funderKey;
        this.funder = funder;
        this.plans = Map.copyOf(plans);
        this.channels = channels;
        this.clock = clock;
    }

    /**
     * Called with the credit an accepted response reported and the channel as this gateway knew it when it
     * signed (its token, factory and credit limit).
     */
    public void observe(ChannelState state, Wei remainingCredit) {
        String channel = state.channel();
        Plan plan = plans.get(state.token());
        if (plan == null || plan.amount().isZero() || remainingCredit.compareTo(plan.below()) >= 0) {
            low.remove(channel);
            return;
        }
        low.put(channel, new Low(remainingCredit, state.creditLimit(), plan));
        if (!running.add(channel)) {
            return;
        }
        plan.budget()
                .reserve(channel, plan.amount())
                .flatMap(verdict -> switch (verdict) {
                    case TopUpBudget.Verdict.Granted granted -> send(state, plan, granted);
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

    private Mono<Void> send(ChannelState state, Plan plan, TopUpBudget.Verdict.Granted granted) {
        String channel = state.channel();
        refused.remove(channel);
        var topUp = new ChainTopUp(
                web3j, funderKey, funder, state.factory(), state.token(), plan.amount(), BigInteger.ZERO);
        return Mono.fromCallable(() -> topUp.deposit(channel))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(funding -> {
                    channels.invalidate(channel);
                    // amounts in the token's smallest unit (wei for ether), tagged with the token
                    log.atInfo()
                            .addKeyValue("channel", channel)
                            .addKeyValue("token", state.token())
                            .addKeyValue("symbol", plan.unit().symbol())
                            .addKeyValue("funding", funding.name())
                            .addKeyValue("amount", plan.amount().toString())
                            .addKeyValue("topUpTotal", granted.totalAfter().toString())
                            .log(
                                    "topped up the egress channel with {}",
                                    plan.unit().describe(plan.amount().value()));
                })
                .onErrorResume(
                        ChannelRevertedException.class,
                        notSent -> plan.budget()
                                .release(channel, plan.amount(), granted.id())
                                .then(Mono.error(notSent)))
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
        TokenUnit unit = last.plan().unit();
        boolean ether = unit.equals(TokenUnit.ETHER);
        members.put("priceWei", price.toString());
        members.put("remainingCreditWei", last.credit().toString());
        members.put("price", unit.describe(price.value()));
        members.put("remainingCredit", unit.describe(last.credit().value()));
        members.put("reason", reason(why.verdict()));
        String next = switch (why.verdict()) {
            case TopUpBudget.Verdict.PeriodLimit p -> {
                members.put("retryInSeconds", p.retryIn().toSeconds());
                yield "the next top-up is allowed in " + p.retryIn().toSeconds() + " s";
            }
            case TopUpBudget.Verdict.TotalLimit t -> {
                members.put("topUpTotalWei", t.total().toString());
                members.put("maxTotalWei", t.maxTotal().toString());
                yield "its top-ups reached the maximum of "
                        + (ether
                                ? t.maxTotal() + " wei (tollgate.gateway.egress.top-up.max-total)"
                                : unit.describe(t.maxTotal().value())
                                        + " (tollgate.gateway.egress.tokens[<token>].top-up.max-total)");
            }
            case TopUpBudget.Verdict.Granted g -> "";
        };
        return Optional.of(new Refusal(
                PaymentProblem.EGRESS_CHANNEL_UNFUNDED,
                "the provider reports " + amount(last.credit(), unit) + " of credit left, less than the price of "
                        + amount(price, unit) + ", and the channel gets no top-up: " + next
                        + ". Deposit into the channel with the owner's key; nothing was signed",
                members));
    }

    /** Wei for ether (as before); whole units and symbol for a token. */
    static String amount(Wei amount, TokenUnit unit) {
        return unit.equals(TokenUnit.ETHER) ? amount + " wei" : unit.describe(amount.value());
    }
}
