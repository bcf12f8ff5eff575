package io.tollgate.gateway.payment;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Voucher;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checks on a voucher that need only cached chain state, the listing and the channel's agreed terms (no
 * signature, no ledger). Admission first: the channel pays this listing's provider from its factory, then the
 * {@link ChannelAdmission} rules (subscription, operator, token, T_r and T_c). Then the voucher: the channel is not
 * closing, the epoch is active or expiring with time to spare, the voucher signs the epoch's price table, the
 * route's category is priced, and every price of that table is at least the agreed floor.
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
            Voucher voucher,
            ChannelState state,
            Listing listing,
            Optional<AgreedTerms> agreed,
            int routeCategory,
            Instant now) {
        if (voucher.category() != routeCategory) {
            return refuse(
                    PaymentProblem.VOUCHER_WRONG_CATEGORY,
                    "this route is category " + routeCategory + ", the voucher is for " + voucher.category(),
                    state,
                    listing);
        }
        if (!state.provider().equalsIgnoreCase(listing.provider())
                || !state.factory().equalsIgnoreCase(listing.factory())) {
            return refuse(PaymentProblem.CHANNEL_WRONG_LISTING, "the channel pays another provider", state, listing);
        }
        Optional<Refusal> admission = ChannelAdmission.admit(state, listing, agreed);
        if (admission.isPresent()) {
            return new Verdict.Refused(admission.get());
        }
        if (state.closing()) {
            return refuse(PaymentProblem.CHANNEL_CLOSING, "a close was requested; open a new channel", state, listing);
        }
        if (voucher.epoch() > state.activeEpoch()) {
            return refuse(PaymentProblem.EPOCH_UNKNOWN, "sign for the active epoch", state, listing);
        }
        Optional<EpochTerms> terms = state.terms(voucher.epoch());
        if (voucher.epoch() < state.oldestUnredeemedEpoch() || terms.isEmpty()) {
            return refuse(PaymentProblem.EPOCH_EXPIRED, "sign for the active epoch", state, listing);
        }
        if (terms.get().expiresAt().isPresent()
                && !now.isBefore(terms.get().expiresAt().get().minus(safetyMargin))) {
            return refuse(
                    PaymentProblem.EPOCH_EXPIRED,
                    "the epoch is being redeemed; sign for the active epoch",
                    state,
                    listing);
        }
        if (!Arrays.equals(voucher.priceTableHash(), terms.get().priceTableHash())) {
            return refuse(PaymentProblem.PRICE_TABLE_STALE, "sign the epoch's price-table hash", state, listing);
        }
        if (terms.get().price(voucher.category()).isEmpty()) {
            return refuse(
                    PaymentProblem.CATEGORY_NOT_PRICED,
                    "the channel's price table lacks this category",
                    state,
                    listing);
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
                        "epoch " + voucher.epoch() + " prices category " + category + " at "
                                + listing.describe(prices.get(category)) + ", below the agreed "
                                + listing.describe(floor) + "; open a channel with the listing's prices",
                        state,
                        listing);
            }
        }
        return new Verdict.Priced(terms.get());
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

    /**
     * {@link #channelMembers(ChannelState)} with the amounts also in whole units of the listing's token: {@code
     * priceTableFormatted}, {@code unredeemedDepositFormatted} ({@code "0.5 USDT-demo"}).
     */
    public static Map<String, Object> channelMembers(ChannelState state, TokenUnit unit) {
        var members = channelMembers(state);
        members.put(
                "priceTableFormatted",
                state.activeTerms().prices().stream()
                        .map(p -> unit.describe(p.value()))
                        .toList());
        members.put(
                "unredeemedDepositFormatted",
                unit.describe(state.unredeemedDeposit().value()));
        return members;
    }

    private static Verdict refuse(PaymentProblem problem, String detail, ChannelState state, Listing listing) {
        return new Verdict.Refused(new Refusal(problem, detail, channelMembers(state, listing.unit())));
    }
}
