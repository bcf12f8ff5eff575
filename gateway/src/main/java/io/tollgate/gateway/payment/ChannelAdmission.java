package io.tollgate.gateway.payment;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.Refusal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * The admission part of the {@link PaymentPolicy}: whether a channel paying the listing's provider from its factory
 * is one the listing serves. On a marketplace listing it is a verified active subscription of this very listing
 * whose owner, payout and operator are the agreed ones; it names the listing's operator, holds the listing's token
 * (and the agreed one), and its T_r and T_c are the agreed ones (configured listings: within the configured bounds)
 * with T_c ≥ 2·T_r + 30 s.
 */
final class ChannelAdmission {

    private ChannelAdmission() {}

    /** The refusal of a channel the listing does not serve; empty when it is served. */
    static Optional<Refusal> admit(ChannelState state, Listing listing, Optional<AgreedTerms> agreed) {
        return switch (listing.admission()) {
            case Listing.Admission.Configured configured -> admitConfigured(state, listing, configured);
            case Listing.Admission.Subscribed subscribed -> admitSubscribed(state, listing, agreed);
        };
    }

    private static Optional<Refusal> admitConfigured(
            ChannelState state, Listing listing, Listing.Admission.Configured configured) {
        Optional<Refusal> common = operatorAndToken(state, listing);
        if (common.isPresent()) {
            return common;
        }
        Duration redeemWindow = state.redeemWindow();
        Duration closeDelay = state.closeDelay();
        if (redeemWindow.compareTo(configured.minRedeemWindow()) < 0
                || redeemWindow.compareTo(configured.maxRedeemWindow()) > 0
                || closeDelay.compareTo(configured.minCloseDelay()) < 0
                || !Listing.closeDelayIsSafe(redeemWindow, closeDelay)) {
            return Optional.of(timesUnsafe(
                    state,
                    "T_r must be " + configured.minRedeemWindow().toSeconds() + ".."
                            + configured.maxRedeemWindow().toSeconds() + " s and T_c at least "
                            + Math.max(
                                    configured.minCloseDelay().toSeconds(),
                                    redeemWindow
                                            .multipliedBy(2)
                                            .plus(Listing.CLOSE_MARGIN)
                                            .toSeconds())
                            + " s"));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> admitSubscribed(
            ChannelState state, Listing listing, Optional<AgreedTerms> agreed) {
        if (agreed.isEmpty()) {
            return Optional.of(notSubscribed(state, listing));
        }
        AgreedTerms terms = agreed.get();
        if (!terms.listing().equals(listing.id())) {
            return Optional.of(new Refusal(
                    PaymentProblem.CHANNEL_WRONG_LISTING,
                    "the channel is a subscription of listing " + terms.listing() + ", not of " + listing.id()
                            + ": subscribe to " + listing.id() + " at " + listing.subscribeUrl(),
                    PaymentPolicy.channelMembers(state)));
        }
        if (!terms.consumer().equals(state.owner())
                || !terms.payout().equals(state.provider())
                || !terms.operator().equals(state.operator())) {
            return Optional.of(new Refusal(
                    PaymentProblem.CHANNEL_WRONG_LISTING,
                    "the channel's owner, payout or operator on chain is not the one the subscription agreed",
                    PaymentPolicy.channelMembers(state)));
        }
        Optional<Refusal> common = operatorAndToken(state, listing);
        if (common.isPresent()) {
            return common;
        }
        if (!terms.token().equals(state.token())) {
            return Optional.of(tokenNotAccepted(state, terms.token(), listing));
        }
        if (!state.redeemWindow().equals(terms.redeemWindow())
                || !state.closeDelay().equals(terms.closeDelay())
                || !Listing.closeDelayIsSafe(state.redeemWindow(), state.closeDelay())) {
            return Optional.of(timesUnsafe(
                    state,
                    "the agreed T_r is " + terms.redeemWindow().toSeconds() + " s and T_c "
                            + terms.closeDelay().toSeconds() + " s (T_c ≥ 2·T_r + "
                            + Listing.CLOSE_MARGIN.toSeconds() + " s)"));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> operatorAndToken(ChannelState state, Listing listing) {
        if (!listing.operator().equals(state.operator())) {
            return Optional.of(new Refusal(
                    PaymentProblem.CHANNEL_WRONG_LISTING,
                    "the channel names operator " + state.operator() + ", but the provider's gateways redeem as "
                            + listing.operator() + ": its vouchers could never be redeemed; open a channel naming "
                            + listing.operator(),
                    PaymentPolicy.channelMembers(state)));
        }
        if (!listing.token().equals(state.token())) {
            return Optional.of(tokenNotAccepted(state, listing.token(), listing));
        }
        return Optional.empty();
    }

    private static Refusal tokenNotAccepted(ChannelState state, String token, Listing listing) {
        var members = new LinkedHashMap<>(PaymentPolicy.channelMembers(state));
        members.put("token", token);
        if (token.equals(listing.token())) {
            members.put("asset", HowToPay.asset(listing));
        }
        String named = token.equals(ChannelState.ETHER)
                ? " (ether)"
                : token.equals(listing.token()) ? " (" + listing.unit().symbol() + ")" : "";
        return new Refusal(
                PaymentProblem.TOKEN_NOT_ACCEPTED,
                "the channel holds " + state.token()
                        + (state.token().equals(ChannelState.ETHER) ? " (ether)" : "")
                        + "; this listing is paid in " + token + named,
                members);
    }

    private static Refusal timesUnsafe(ChannelState state, String rule) {
        var members = new LinkedHashMap<>(PaymentPolicy.channelMembers(state));
        members.put("redeemWindowSeconds", state.redeemWindow().toSeconds());
        members.put("closeDelaySeconds", state.closeDelay().toSeconds());
        return new Refusal(
                PaymentProblem.CHANNEL_TIMES_UNSAFE,
                "the channel has T_r " + state.redeemWindow().toSeconds() + " s and T_c "
                        + state.closeDelay().toSeconds() + " s; " + rule,
                members);
    }

    /** A channel the marketplace does not know (402): where to subscribe, or to register a channel opened elsewhere. */
    static Refusal notSubscribed(ChannelState state, Listing listing) {
        var members = new LinkedHashMap<>(PaymentPolicy.channelMembers(state));
        members.put("listing", listing.id());
        members.put("subscribe", String.valueOf(listing.subscribeUrl()));
        return new Refusal(
                PaymentProblem.CHANNEL_NOT_SUBSCRIBED,
                "the marketplace has no active subscription for this channel: subscribe at " + listing.subscribeUrl()
                        + " (a channel opened elsewhere can be registered there with its address)",
                members);
    }
}
