package io.tollgate.gateway.payment;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checks on a voucher that need only cached chain state, the listing and the channel's agreed terms (no
 * signature, no ledger). Admission first: the channel pays this listing's provider from its factory; on a
 * marketplace listing it is a verified active subscription of this very listing whose owner, payout and operator
 * are the agreed ones; it names the listing's operator, holds the listing's token, and its T_r and T_c are the
 * agreed ones (configured listings: within the configured bounds) with T_c ≥ 2·T_r + 30 s. Then the voucher: the
 * channel is not closing, the epoch is active or expiring with time to spare, the voucher signs the epoch's price
 * table, the route's category is priced, and every price of that table is at least the agreed floor.
 */
public final class PaymentPolicy {

    private final Duration safetyMargin;

    public PaymentPolicy(Duration safetyMargin) {
        this.safetyMargin = safetyMargin;
    }

    /** The price of the voucher's category in its epoch when the voucher may pay; the refusal otherwise. */
    public sealed interface Verdict {
        record Priced(EpochTerms terms) implements Verdict {}

        record Refused(Refusal refusal) implements Verdict {}
    }

    /**
     * @param agreed the marketplace's agreed terms of the channel; needed on a marketplace listing ({@link
     *     Listing.Admission.Subscribed}), ignored on a configured one
     */
    public Verdict check(
            PaidVoucher voucher,
            ChannelState state,
            Listing listing,
            Optional<AgreedTerms> agreed,
            int routeCategory,
            Instant now) {
        if (voucher.category() != routeCategory) {
            return refuse(
                    PaymentProblem.VOUCHER_WRONG_CATEGORY,
                    "this route is category " + routeCategory + ", the voucher is for " + voucher.category(),
                    state);
        }
        if (!state.provider().equalsIgnoreCase(listing.provider())
                || !state.factory().equalsIgnoreCase(listing.factory())) {
            return refuse(PaymentProblem.CHANNEL_WRONG_LISTING, "the channel pays another provider", state);
        }
        Optional<Refusal> admission = switch (listing.admission()) {
            case Listing.Admission.Configured configured -> admitConfigured(state, listing, configured);
            case Listing.Admission.Subscribed subscribed -> admitSubscribed(state, listing, agreed);
        };
        if (admission.isPresent()) {
            return new Verdict.Refused(admission.get());
        }
        if (state.closing()) {
            return refuse(PaymentProblem.CHANNEL_CLOSING, "a close was requested; open a new channel", state);
        }
        if (voucher.epoch() > state.activeEpoch()) {
            return refuse(PaymentProblem.EPOCH_UNKNOWN, "sign for the active epoch", state);
        }
        Optional<EpochTerms> terms = state.terms(voucher.epoch());
        if (voucher.epoch() < state.oldestUnredeemedEpoch() || terms.isEmpty()) {
            return refuse(PaymentProblem.EPOCH_EXPIRED, "sign for the active epoch", state);
        }
        if (terms.get().expiresAt().isPresent()
                && !now.isBefore(terms.get().expiresAt().get().minus(safetyMargin))) {
            return refuse(
                    PaymentProblem.EPOCH_EXPIRED, "the epoch is being redeemed; sign for the active epoch", state);
        }
        if (!Arrays.equals(voucher.priceTableHash(), terms.get().priceTableHash())) {
            return refuse(PaymentProblem.PRICE_TABLE_STALE, "sign the epoch's price-table hash", state);
        }
        if (terms.get().price(voucher.category()).isEmpty()) {
            return refuse(PaymentProblem.CATEGORY_NOT_PRICED, "the channel's price table lacks this category", state);
        }
        // every category of the signed table, not only the route's: a table below the floor in any category is
        // not the agreed one
        var prices = terms.get().prices();
        for (int category = 0; category < prices.size(); category++) {
            Wei floor = switch (listing.admission()) {
                case Listing.Admission.Configured configured -> configured.minimumPrice(category);
                case Listing.Admission.Subscribed subscribed ->
                    agreed.orElseThrow().floor(category);
            };
            if (prices.get(category).compareTo(floor) < 0) {
                return refuse(
                        PaymentProblem.PRICE_BELOW_AGREEMENT,
                        "epoch " + voucher.epoch() + " prices category " + category + " at " + prices.get(category)
                                + " wei, below the agreed " + floor + "; open a channel with the listing's prices",
                        state);
            }
        }
        return new Verdict.Priced(terms.get());
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
                    channelMembers(state)));
        }
        if (!terms.consumer().equals(state.owner())
                || !terms.payout().equals(state.provider())
                || !terms.operator().equals(state.operator())) {
            return Optional.of(new Refusal(
                    PaymentProblem.CHANNEL_WRONG_LISTING,
                    "the channel's owner, payout or operator on chain is not the one the subscription agreed",
                    channelMembers(state)));
        }
        Optional<Refusal> common = operatorAndToken(state, listing);
        if (common.isPresent()) {
            return common;
        }
        if (!terms.token().equals(state.token())) {
            return Optional.of(tokenNotAccepted(state, terms.token()));
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
                    channelMembers(state)));
        }
        if (!listing.token().equals(state.token())) {
            return Optional.of(tokenNotAccepted(state, listing.token()));
        }
        return Optional.empty();
    }

    private static Refusal tokenNotAccepted(ChannelState state, String token) {
        var members = new LinkedHashMap<>(channelMembers(state));
        members.put("token", token);
        return new Refusal(
                PaymentProblem.TOKEN_NOT_ACCEPTED,
                "the channel holds " + state.token() + "; this listing is paid in " + token
                        + (token.equals(ChannelState.ETHER) ? " (ether)" : ""),
                members);
    }

    private static Refusal timesUnsafe(ChannelState state, String rule) {
        var members = new LinkedHashMap<>(channelMembers(state));
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
        var members = new LinkedHashMap<>(channelMembers(state));
        members.put("listing", listing.id());
        members.put("subscribe", String.valueOf(listing.subscribeUrl()));
        return new Refusal(
                PaymentProblem.CHANNEL_NOT_SUBSCRIBED,
                "the marketplace has no active subscription for this channel: subscribe at " + listing.subscribeUrl()
                        + " (a channel opened elsewhere can be registered there with its address)",
                members);
    }

    /** Members telling an honest client what to sign next. */
    public static Map<String, Object> channelMembers(ChannelState state) {
        var members = new LinkedHashMap<String, Object>();
        members.put("channel", state.channel());
        members.put("activeEpoch", state.activeEpoch());
        members.put(
                "priceTable",
                state.activeTerms().prices().stream().map(Object::toString).toList());
        members.put("priceTableHash", state.activeTerms().priceTableHashHex());
        members.put("unredeemedDeposit", state.unredeemedDeposit().toString());
        return members;
    }

    private static Verdict refuse(PaymentProblem problem, String detail, ChannelState state) {
        return new Verdict.Refused(new Refusal(problem, detail, channelMembers(state)));
    }
}
