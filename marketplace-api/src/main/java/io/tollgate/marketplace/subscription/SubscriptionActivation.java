package io.tollgate.marketplace.subscription;

import static io.tollgate.marketplace.subscription.ChannelVerification.refused;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.marketplace.catalogue.ListingSlas;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.marketplace.subscription.ChannelVerification.Agreed;
import io.tollgate.marketplace.subscription.SubscriptionStore.Accepted;
import io.tollgate.marketplace.subscription.SubscriptionStore.Row;
import io.tollgate.marketplace.subscription.Subscriptions.View;
import io.tollgate.settings.ChainProperties;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.Web3j;

/**
 * A created channel becomes a subscription's: verified on chain against the accepted offer and the agreed terms
 * ({@link ChannelVerification}), then stored as the active subscription's channel — a channel the web UI prepared
 * ({@link #activate}) or one its consumer created elsewhere ({@link #register}).
 *
 * <p>Part of {@link Subscriptions}, which makes it.
 */
class SubscriptionActivation {
    private final SubscriptionStore store;
    private final ChannelVerification verification;
    private final Web3j web3j;
    private final ChainProperties chain;
    private final ListingSlas slas;
    private final Clock clock;

    SubscriptionActivation(
            SubscriptionStore store,
            ChannelVerification verification,
            Web3j web3j,
            ChainProperties chain,
            ListingSlas slas,
            Clock clock) {
        this.store = store;
        this.verification = verification;
        this.web3j = web3j;
        this.chain = chain;
        this.slas = slas;
        this.clock = clock;
    }

    View activate(long subscription, String consumer, String channel) {
        Row row = store.row(subscription, consumer);
        String address = channel.toLowerCase(Locale.ROOT);
        if (row.state() == SubscriptionState.ACTIVE && !address.equals(row.channel())) {
            throw refused(subscription, "the subscription is already active with channel " + row.channel());
        }
        Accepted accepted = store.accepted(row.negotiation(), consumer);
        Optional<ChannelSla> preparedSla = row.sla();
        if (preparedSla.isPresent() && preparedSla.get().twoStep()) {
            // release 2: the windows start at the channel's creation, which the marketplace learns now
            preparedSla = Optional.of(verification.twoStepTerms(
                    subscription, address, preparedSla.get().terms()));
        }
        SlaTerms prepared = preparedSla.map(ChannelSla::onChain).orElseGet(SlaTerms::none);
        // subscriptions prepared before the agreed times were stored: the settings they were prepared with
        var agreed = new Agreed(
                row.signer(),
                row.token() == null ? accepted.token() : row.token(),
                row.redeemWindowSeconds() == null ? chain.redemptionTolerance().toSeconds() : row.redeemWindowSeconds(),
                row.closeDelaySeconds() == null ? chain.closeDelay().toSeconds() : row.closeDelaySeconds(),
                prepared);
        verification.verify(subscription, address, consumer, accepted, agreed);
        store.activated(
                subscription,
                address,
                agreed.token(),
                agreed.redeemWindowSeconds(),
                agreed.closeDelaySeconds(),
                preparedSla);
        return new View(subscription, row.negotiation(), SubscriptionState.ACTIVE, agreed.signer(), address, null);
    }

    View register(long negotiation, String consumer, String channel) {
        Accepted accepted = store.accepted(negotiation, consumer);
        Optional<Long> existing = store.ofNegotiation(negotiation);
        if (existing.isPresent()) {
            return activate(existing.get(), consumer, channel);
        }
        String address = channel.toLowerCase(Locale.ROOT);
        verification.requireChannel(0, address);
        var client = ChannelClient.readOnly(web3j, address);
        SlaTerms onChain = client.slaTerms();
        boolean twoStep = SlaSettlement.twoStep(web3j, address);
        Optional<ChannelSla> sla = slas.of(accepted.listingId())
                .map(terms -> twoStep
                        ? verification.twoStepTerms(0, address, terms)
                        : new ChannelSla(onChain.start().getEpochSecond(), terms));
        if (sla.isPresent() && !twoStep) {
            long start = sla.get().startEpochSecond();
            long earliest = clock.instant().getEpochSecond() - 120;
            if (start % 60 != 0 || start < earliest) {
                throw new ApiProblem(
                        ProblemType.CONFLICT,
                        "the channel's first SLA window starts at " + sla.get().start()
                                + ": it must be a whole minute no earlier than two minutes ago",
                        Map.of("channel", address));
            }
        }
        var agreed = new Agreed(
                client.state().signer().toLowerCase(Locale.ROOT),
                accepted.token(),
                chain.redemptionTolerance().toSeconds(),
                chain.closeDelay().toSeconds(),
                sla.map(ChannelSla::onChain).orElseGet(SlaTerms::none));
        verification.verify(0, address, consumer, accepted, agreed);
        long id = store.insertActive(
                negotiation,
                consumer,
                agreed.signer(),
                address,
                sla,
                agreed.token(),
                agreed.redeemWindowSeconds(),
                agreed.closeDelaySeconds());
        return new View(id, negotiation, SubscriptionState.ACTIVE, agreed.signer(), address, null);
    }
}
