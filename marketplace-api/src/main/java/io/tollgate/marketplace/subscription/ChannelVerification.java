package io.tollgate.marketplace.subscription;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.marketplace.catalogue.SlaView;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.marketplace.subscription.SubscriptionStore.Accepted;
import io.tollgate.pricing.PriceTable;
import java.time.Instant;
import java.util.Map;
import org.web3j.protocol.Web3j;

/**
 * A channel on chain against the terms its subscription agreed: created by the marketplace's factory, not another
 * subscription's, and holding every agreed term (owner, payout, operator, signer, token, T_r, T_c, epoch-1 prices =
 * the accepted offer, SLA terms). A refusal is a {@code conflict} naming the first term that differs, with both
 * values (and the subscription, when there is one yet). Part of {@link Subscriptions}, which makes it.
 */
record ChannelVerification(Web3j web3j, FactoryPermits permits, SubscriptionStore store) {
    /** The terms a channel must hold on chain, beside the accepted offer's prices. */
    record Agreed(String signer, String token, long redeemWindowSeconds, long closeDelaySeconds, SlaTerms sla) {}

    /** Every agreed term against the chain; the refusal names the first that differs, with both values. */
    void verify(long subscription, String address, String consumer, Accepted accepted, Agreed agreed) {
        requireChannel(subscription, address);
        Long taken = store.ofChannel(address).orElse(null);
        if (taken != null && taken != subscription) {
            throw refused(subscription, "channel " + address + " is already the channel of another subscription");
        }
        var client = ChannelClient.readOnly(web3j, address);
        var parties = client.parties();
        var state = client.state();
        check(subscription, "owner", parties.owner(), consumer);
        check(subscription, "payout", parties.payout(), accepted.payout());
        check(subscription, "operator", state.operator(), accepted.operator());
        check(subscription, "signer", state.signer(), agreed.signer());
        check(subscription, "token", parties.token(), agreed.token());
        if (parties.tolerance().toSeconds() != agreed.redeemWindowSeconds()) {
            throw refused(
                    subscription,
                    "the channel's T_r is " + parties.tolerance().toSeconds() + " s, not the agreed "
                            + agreed.redeemWindowSeconds() + " s");
        }
        if (parties.closeDelay().toSeconds() != agreed.closeDelaySeconds()) {
            throw refused(
                    subscription,
                    "the channel's T_c is " + parties.closeDelay().toSeconds() + " s, not the agreed "
                            + agreed.closeDelaySeconds() + " s");
        }
        PriceTable onChain = client.pricesOf(1);
        if (!onChain.equals(accepted.prices())) {
            throw refused(
                    subscription,
                    "the channel's prices " + onChain.decimals() + " are not the accepted "
                            + accepted.prices().decimals());
        }
        SlaTerms sla = client.slaTerms();
        if (!sla.equals(agreed.sla())) {
            throw refused(subscription, "the channel's SLA terms " + sla + " are not the agreed " + agreed.sla());
        }
    }

    /**
     * A release-2 channel's agreed SLA: the listing's terms with the windows starting at the channel's creation,
     * checked on chain — the report period is the listing's, and the first window starts at the creation block
     * (anything else is refused, naming both values).
     */
    ChannelSla twoStepTerms(long subscription, String address, SlaView terms) {
        requireChannel(subscription, address);
        if (!SlaSettlement.twoStep(web3j, address)) {
            throw refused(
                    subscription,
                    "channel " + address + " is on release 1: it was prepared for release 2, whose report period "
                            + "is part of the SLA terms");
        }
        var settlement = SlaSettlement.readOnly(web3j, address);
        long period = settlement.reportPeriod().toSeconds();
        if (period != terms.reportPeriodSeconds()) {
            throw refused(
                    subscription,
                    "the channel's SLA report period is " + period + " s, not the agreed " + terms.reportPeriodSeconds()
                            + " s");
        }
        Instant created = SlaSettlement.createdAt(web3j, permits.factory(), address)
                .orElseThrow(() -> refused(subscription, "channel " + address + " has no ChannelCreated event"));
        Instant start = ChannelClient.readOnly(web3j, address).slaTerms().start();
        if (!start.equals(created)) {
            throw refused(
                    subscription,
                    "the channel's first SLA window starts at " + start + ", not at its creation " + created);
        }
        return new ChannelSla(created.getEpochSecond(), terms, 2);
    }

    /** {@code address} holds code and was created by the marketplace's factory; else refused. */
    void requireChannel(long subscription, String address) {
        String factory = permits.factory();
        if (!ChannelCode.hasCode(web3j, address) || !FactoryClient.createdBy(web3j, factory, address)) {
            throw refused(subscription, "channel " + address + " was not created by the factory " + factory);
        }
    }

    private static void check(long subscription, String what, String actual, String expected) {
        if (!actual.equalsIgnoreCase(expected)) {
            throw refused(subscription, "the channel's " + what + " is " + actual + ", not " + expected);
        }
    }

    /** A {@code conflict} saying {@code why}, naming the subscription unless there is none yet (0). */
    static ApiProblem refused(long subscription, String why) {
        return new ApiProblem(
                ProblemType.CONFLICT, why, subscription == 0 ? Map.of() : Map.of("subscription", subscription));
    }
}
