package io.tollgate.marketplace.subscription;

import static io.tollgate.marketplace.subscription.ChannelVerification.refused;

import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.marketplace.catalogue.ListingSlas;
import io.tollgate.marketplace.subscription.SubscriptionStore.Accepted;
import io.tollgate.marketplace.subscription.SubscriptionStore.Row;
import io.tollgate.marketplace.subscription.Subscriptions.PreparedCall;
import io.tollgate.marketplace.subscription.Subscriptions.Token;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.web3j.protocol.Web3j;

/**
 * The factory call that creates a subscription's channel, prepared for the consumer's wallet (see {@link
 * PreparedCall}): ether, one {@code createChannel} with the deposit as value; a token with EIP-2612 permits, one
 * permit to sign and then one {@code createChannelWithPermit} ({@link #permit}); a token without, {@code approve}
 * then {@code createChannelWithPermit} without a permit. On release 2 the call carries the listing's report period
 * (the windows start at the channel's creation); on release 1 the first window starts at the next whole minute.
 *
 * <p>Part of {@link Subscriptions}, which makes it.
 */
class ChannelCreation {
    private static final String CREATE = "create-channel";

    private final SubscriptionStore store;
    private final Web3j web3j;
    private final ChainProperties chain;
    private final ListingSlas slas;
    private final Clock clock;
    private final FactoryPermits permits;

    ChannelCreation(
            SubscriptionStore store,
            Web3j web3j,
            ChainProperties chain,
            ListingSlas slas,
            Clock clock,
            FactoryPermits permits) {
        this.store = store;
        this.web3j = web3j;
        this.chain = chain;
        this.slas = slas;
        this.clock = clock;
        this.permits = permits;
    }

    PreparedCall prepare(long negotiation, String consumer, String signer, Wei deposit) {
        String factory = permits.factory();
        Accepted accepted = store.accepted(negotiation, consumer);
        long id = store.ofNegotiation(negotiation).orElseGet(() -> store.insertPending(negotiation, consumer, signer));
        // release 2 starts the windows at the channel's creation (a consumer cannot pick them) and takes the
        // report period where release 1 took the first window's start
        int release = SlaSettlement.latestRelease(web3j, factory);
        Optional<ChannelSla> sla = slas.of(accepted.listingId())
                .map(terms -> release >= 2
                        ? new ChannelSla(0, terms, release)
                        : new ChannelSla(clock.instant().getEpochSecond() / 60 * 60 + 60, terms));
        store.prepared(
                id,
                sla,
                accepted.token(),
                chain.redemptionTolerance().toSeconds(),
                chain.closeDelay().toSeconds(),
                deposit);
        var terms = new ChannelTerms(
                consumer,
                signer,
                accepted.payout(),
                accepted.operator(),
                Optional.of(accepted.token()),
                accepted.prices(),
                chain.redemptionTolerance(),
                chain.closeDelay());
        var token = Token.of(accepted.token(), accepted.unit());
        if (token.ether()) {
            String data = callData(
                    sla,
                    (onChain, period) -> FactoryClient.createChannelData(terms, onChain, period, deposit),
                    onChain -> FactoryClient.createChannelData(terms, onChain, deposit));
            return new PreparedCall(
                    id,
                    chain.chainId(),
                    factory,
                    data,
                    deposit.toString(),
                    token,
                    deposit.toString(),
                    List.of(FundingStep.transaction(CREATE, factory, data, deposit.toString())));
        }
        List<FundingStep> steps = permits.domain(token.address(), consumer)
                .map(domain -> List.of(FundingStep.signPermit(
                        CREATE,
                        permits.typedData(domain, consumer, factory, deposit.value()),
                        "/api/subscriptions/" + id + "/permit")))
                .orElseGet(() -> List.of(
                        FundingStep.transaction(
                                "approve", token.address(), TokenPermits.approveData(factory, deposit.value()), "0"),
                        FundingStep.transaction(
                                CREATE,
                                factory,
                                createWithPermitData(
                                        terms,
                                        sla,
                                        TokenPermits.allowanceOnly(
                                                token.address(), consumer, factory, deposit.value())),
                                "0")));
        return new PreparedCall(id, chain.chainId(), null, null, "0", token, deposit.toString(), steps);
    }

    FundingStep permit(long subscription, String consumer, FactoryPermits.Signed signed) {
        Row row = store.row(subscription, consumer);
        if (row.state() == SubscriptionState.ACTIVE) {
            throw refused(subscription, "the subscription is already active with channel " + row.channel());
        }
        Accepted accepted = store.accepted(row.negotiation(), consumer);
        String token = row.token() == null ? accepted.token() : row.token();
        if (Subscriptions.ZERO.equals(token)) {
            throw refused(subscription, "the subscription is in ether: its channel is funded with the call's value");
        }
        BigInteger deposit = store.deposit(subscription)
                .orElseThrow(() -> refused(
                        subscription, "the subscription was prepared before deposits were kept: prepare it again"));
        String factory = permits.factory();
        var permit = permits.verify(token, consumer, factory, deposit, accepted.unit(), signed);
        var terms = new ChannelTerms(
                consumer,
                row.signer(),
                accepted.payout(),
                accepted.operator(),
                Optional.of(token),
                accepted.prices(),
                Duration.ofSeconds(row.redeemWindowSeconds()),
                Duration.ofSeconds(row.closeDelaySeconds()));
        return FundingStep.transaction(CREATE, factory, createWithPermitData(terms, row.sla(), permit), "0");
    }

    Token token(long negotiation, String consumer) {
        Accepted accepted = store.accepted(negotiation, consumer);
        return Token.of(accepted.token(), accepted.unit());
    }

    private static String createWithPermitData(
            ChannelTerms terms, Optional<ChannelSla> sla, TokenPermits.Permit permit) {
        return callData(
                sla,
                (onChain, period) -> FactoryClient.createChannelWithPermitData(terms, onChain, period, permit),
                onChain -> FactoryClient.createChannelWithPermitData(terms, onChain, permit));
    }

    /**
     * A factory call for the channel's SLA: on release 2 ({@code twoStep}) the listing's terms with the windows
     * from the creation and its report period; else the terms as the channel holds them (none without an SLA).
     */
    private static String callData(
            Optional<ChannelSla> sla,
            BiFunction<SlaTerms, Duration, String> twoStep,
            Function<SlaTerms, String> oneStep) {
        return sla.filter(ChannelSla::twoStep)
                .map(release2 -> twoStep.apply(
                        release2.terms().channelTerms(Instant.EPOCH),
                        release2.terms().reportPeriod()))
                .orElseGet(() -> oneStep.apply(sla.map(ChannelSla::onChain).orElseGet(SlaTerms::none)));
    }
}
