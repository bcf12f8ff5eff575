package io.tollgate.gateway.problem;

import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.voucher.SignatureCheck.SignatureOutcome;
import java.util.Locale;
import java.util.Map;

/**
 * The refusals of the voucher checks that are not the {@code PaymentPolicy}'s: what a channel lookup, a signature
 * check or the ledger said, as the problem of the catalogue a client branches on. {@code members} tell an honest
 * client what to sign next.
 */
public final class Refusals {

    private Refusals() {}

    /** A channel the gateway does not take vouchers of: not an Intermediary, or not one it trusts. */
    public static Refusal channel(ChannelLookup.Reason reason) {
        PaymentProblem problem = switch (reason) {
            case NO_CONTRACT, UNKNOWN_CHANNEL -> PaymentProblem.CHANNEL_UNKNOWN;
            case UNKNOWN_FACTORY, UNKNOWN_IMPLEMENTATION -> PaymentProblem.CHANNEL_UNTRUSTED;
        };
        return Refusal.of(problem, reason.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    /** A signature that is not the channel signer's ({@link SignatureOutcome#VALID} is no refusal). */
    public static Refusal signature(SignatureOutcome outcome, Map<String, Object> members) {
        String detail = switch (outcome) {
            case INVALID -> "not a valid low-s signature";
            case WRONG_SIGNER -> "signed by another key, or for another chain or contract";
            case VALID -> throw new IllegalArgumentException("a valid signature is not refused");
        };
        return new Refusal(PaymentProblem.SIGNATURE_INVALID, detail, members);
    }

    /**
     * A voucher the channel's credit cannot pay ({@code payment-insufficient}); {@code detail} says the amounts in
     * the listing's token.
     */
    public static Refusal underfunded(String detail, Map<String, Object> members) {
        return new Refusal(PaymentProblem.PAYMENT_INSUFFICIENT, detail, members);
    }

    /** A voucher the ledger did not record (or that could not pay in any case: {@code UNDERFUNDED}). */
    public static Refusal ledger(LedgerOutcome.Reason reason, Map<String, Object> members) {
        return switch (reason) {
            case REPLAYED -> new Refusal(PaymentProblem.VOUCHER_REPLAYED, "sign the next count", members);
            case BELOW_WINDOW ->
                new Refusal(PaymentProblem.VOUCHER_REPLAYED, "count is below the anti-replay window", members);
            case UNDERFUNDED ->
                new Refusal(PaymentProblem.PAYMENT_INSUFFICIENT, "top up the channel's deposit", members);
            case EPOCH_REDEEMED ->
                new Refusal(PaymentProblem.EPOCH_EXPIRED, "the epoch was redeemed; sign for the active one", members);
        };
    }
}
