package io.tollgate.gateway.payment;

import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.payment.PaymentCheck.Outcome;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.Refusals;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.VoucherReader;
import io.tollgate.gateway.voucher.VoucherReader.VoucherRead;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Headers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The {@code Payment-Voucher} of a channel: the {@link VoucherReader} reads it, the {@link ChannelStateCache} and
 * (marketplace listings only) the marketplace's {@link Agreements} admit its channel, the {@link VoucherPayment}
 * does the rest. An optional {@code Payment-Channel} header lets a 402 name that channel's active epoch and price
 * table. Infrastructure errors fail closed ({@code payment-unavailable}, nothing recorded).
 */
final class VoucherScheme implements PaymentScheme {

    private static final Logger log = LoggerFactory.getLogger(VoucherScheme.class);

    private final VoucherReader reader;
    private final ChannelStateCache channels;
    private final Agreements agreements;
    private final VoucherPayment payment;

    VoucherScheme(VoucherReader reader, ChannelStateCache channels, Agreements agreements, VoucherPayment payment) {
        this.reader = reader;
        this.channels = channels;
        this.agreements = agreements;
        this.payment = payment;
    }

    @Override
    public List<String> headers() {
        return List.of(VoucherReader.HEADER, Headers.CHANNEL);
    }

    @Override
    public Mono<Outcome> check(PaymentRequest request) {
        return switch (reader.read(request.http())) {
            case VoucherRead.Missing() -> Mono.error(new IllegalStateException("no voucher to check"));
            case VoucherRead.Malformed(String detail) ->
                Mono.just(new Outcome.Refused(
                        PaymentProblem.VOUCHER_MALFORMED,
                        detail,
                        HowToPay.members(request.listing(), request.category())));
            case VoucherRead.Present(PaidVoucher voucher) ->
                admit(request, voucher)
                        .doOnNext(outcome -> logOutcome(voucher, outcome))
                        .onErrorResume(e -> failClosed(voucher, e));
        };
    }

    private Mono<Outcome> admit(PaymentRequest request, PaidVoucher voucher) {
        Listing listing = request.listing();
        return channels.lookup(voucher.voucher().channel().value()).flatMap(lookup -> switch (lookup) {
            case ChannelLookup.Refused(ChannelLookup.Reason reason) ->
                Mono.just(Outcome.Refused.of(Refusals.channel(reason)));
            case ChannelLookup.Found(ChannelState state) ->
                switch (listing.admission()) {
                    case Listing.Admission.Configured configured ->
                        payment.pay(voucher, state, listing, request.category(), Optional.empty());
                    case Listing.Admission.Subscribed subscribed ->
                        agreements.lookup(voucher.voucher().channel().value()).flatMap(agreement -> switch (agreement) {
                            case Agreement.Confirmed(AgreedTerms terms) ->
                                payment.pay(voucher, state, listing, request.category(), Optional.of(terms));
                            case Agreement.NotSubscribed() -> Mono.just(notSubscribed(request, state));
                            case Agreement.Unavailable(String reason) ->
                                Mono.just(Outcome.Refused.of(
                                        PaymentProblem.PAYMENT_UNAVAILABLE,
                                        reason + " to confirm this channel's subscription; try again shortly"));
                        });
                };
        });
    }

    private static Outcome notSubscribed(PaymentRequest request, ChannelState state) {
        var refusal = ChannelAdmission.notSubscribed(state, request.listing());
        var members = new LinkedHashMap<>(HowToPay.members(request.listing(), request.category()));
        members.putAll(refusal.members());
        return new Outcome.Refused(refusal.problem(), refusal.detail(), members);
    }

    /** How to pay the route; with a {@code Payment-Channel} header, that channel's active epoch and prices. */
    @Override
    public Mono<Map<String, Object>> challenge(PaymentRequest request) {
        var members = HowToPay.members(request.listing(), request.category());
        String hint = request.http().getHeaders().getFirst(Headers.CHANNEL);
        if (!Address.isAddress(hint)) {
            return Mono.just(members);
        }
        return channels.lookup(hint.toLowerCase(Locale.ROOT))
                .<Map<String, Object>>map(lookup -> {
                    if (lookup instanceof ChannelLookup.Found(var state)) {
                        var withChannel = new LinkedHashMap<>(members);
                        withChannel.putAll(PaymentPolicy.channelMembers(
                                state, request.listing().unit()));
                        return withChannel;
                    }
                    return members;
                })
                .onErrorReturn(members);
    }

    private static void logOutcome(PaidVoucher voucher, Outcome outcome) {
        log.atDebug()
                .addKeyValue("channel", voucher.voucher().channel().value())
                .addKeyValue("epoch", voucher.voucher().epoch())
                .addKeyValue("category", voucher.voucher().category())
                .addKeyValue("count", voucher.voucher().count())
                .addKeyValue(
                        "outcome",
                        switch (outcome) {
                            case Outcome.Accepted accepted -> "accepted";
                            case Outcome.Refused refused -> refused.problem().slug();
                        })
                .log(outcome instanceof Outcome.Accepted ? "voucher accepted" : "voucher refused");
    }

    private static Mono<Outcome> failClosed(PaidVoucher voucher, Throwable error) {
        log.atWarn()
                .addKeyValue("channel", voucher.voucher().channel().value())
                .addKeyValue("outcome", PaymentProblem.PAYMENT_UNAVAILABLE.slug())
                .setCause(error)
                .log("payment check failed; request refused");
        return Mono.just(Outcome.Refused.of(PaymentProblem.PAYMENT_UNAVAILABLE, "try again shortly"));
    }
}
