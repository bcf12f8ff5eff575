package io.tollgate.gateway.payment;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.payment.PaymentCheck.Outcome;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.gateway.problem.Refusals;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.SignatureCheck;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Headers;
import java.math.BigInteger;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * A voucher of an admitted channel, in this order: the {@link PaymentPolicy}, affordability (a count worth more
 * than the whole credit limit is refused without a signature check or a Redis round trip), the signature (by the
 * epoch's signer: a rotated signer signs from the next epoch on), then the atomic {@link VoucherLedger} step.
 */
final class VoucherPayment {

    private final PaymentPolicy policy;
    private final SignatureCheck signatures;
    private final VoucherLedger ledger;
    private final Clock clock;
    private final long chainId;

    VoucherPayment(PaymentPolicy policy, SignatureCheck signatures, VoucherLedger ledger, Clock clock, long chainId) {
        this.policy = policy;
        this.signatures = signatures;
        this.ledger = ledger;
        this.clock = clock;
        this.chainId = chainId;
    }

    /** @param agreed the channel's agreed terms on a marketplace listing; empty on a configured one */
    Mono<Outcome> pay(
            PaidVoucher voucher, ChannelState state, Listing listing, int category, Optional<AgreedTerms> agreed) {
        return switch (policy.check(voucher.voucher(), state, listing, agreed, category, clock.instant())) {
            case PaymentPolicy.Verdict.Refused(Refusal refusal) -> Mono.just(Outcome.Refused.of(refusal));
            case PaymentPolicy.Verdict.Priced(EpochTerms terms) ->
                priced(
                        voucher,
                        state,
                        listing,
                        terms.price(voucher.voucher().category()).orElseThrow());
        };
    }

    private Mono<Outcome> priced(PaidVoucher voucher, ChannelState state, Listing listing, Wei price) {
        var members = PaymentPolicy.channelMembers(state, listing.unit());
        members.put("creditLimit", state.creditLimit().toString());
        members.put("creditLimitFormatted", listing.describe(state.creditLimit()));
        // the ledger refuses it in any case (exposure >= count x price): a flood an unfunded channel cannot pay
        // stays cheap
        long count = voucher.voucher().count();
        Wei worth = new Wei(price.value().multiply(BigInteger.valueOf(count)));
        if (worth.compareTo(state.creditLimit()) > 0) {
            return refused(Refusals.underfunded(
                    "count " + count + " × " + listing.describe(price) + " = " + listing.describe(worth)
                            + " is more than the channel's credit of " + listing.describe(state.creditLimit())
                            + ": top up the channel's deposit",
                    members));
        }
        String signer = state.terms(voucher.voucher().epoch())
                .flatMap(EpochTerms::signer)
                .orElse(state.signer());
        var signature = signatures.check(voucher.voucher(), chainId, signer);
        if (signature != SignatureCheck.SignatureOutcome.VALID) {
            return refused(Refusals.signature(signature, members));
        }
        var entry = new LedgerEntry(
                voucher.voucher().channel().value(),
                voucher.voucher().epoch(),
                voucher.voucher().category(),
                voucher.voucher().count(),
                price,
                state.creditLimit(),
                state.oldestUnredeemedEpoch(),
                voucher.encoded());
        return ledger.record(entry).map(outcome -> switch (outcome) {
            case LedgerOutcome.Accepted accepted -> accepted(voucher, price, accepted);
            case LedgerOutcome.Rejected(LedgerOutcome.Reason reason)
            when reason == LedgerOutcome.Reason.UNDERFUNDED ->
                Outcome.Refused.of(Refusals.underfunded(
                        "the vouchers of this channel with this one would be worth more than its credit of "
                                + listing.describe(state.creditLimit()) + " (this request costs "
                                + listing.describe(price) + "): top up the channel's deposit",
                        members));
            case LedgerOutcome.Rejected(LedgerOutcome.Reason reason) ->
                Outcome.Refused.of(Refusals.ledger(reason, members));
        });
    }

    private static Outcome accepted(PaidVoucher voucher, Wei price, LedgerOutcome.Accepted accepted) {
        var headers = new LinkedHashMap<String, String>();
        headers.put(Headers.ACCEPTED_COUNT, Long.toString(voucher.voucher().count()));
        headers.put(Headers.REMAINING_CREDIT, accepted.remainingCredit().toString());
        return new Outcome.Accepted(
                voucher.voucher().channel().value(),
                voucher.voucher().epoch(),
                voucher.voucher().category(),
                price,
                headers);
    }

    private static Mono<Outcome> refused(Refusal refusal) {
        return Mono.just(Outcome.Refused.of(refusal));
    }
}
