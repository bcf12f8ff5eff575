package io.tollgate.gateway.problem;

import io.tollgate.protocol.Problem;
import org.springframework.http.HttpStatus;

/**
 * The problems the gateway answers with (the payment filter's refusals, and what {@link GatewayProblemHandler} makes
 * of every other error): the gateway's part of the protocol's one catalogue ({@link Problem}, where slug, title and
 * status are written), under the configured base ({@code tollgate.problems.base}, default
 * {@code https://tollgate.dev/problems}). Clients branch on the type, never on the detail text.
 */
public enum PaymentProblem {
    PAYMENT_REQUIRED(Problem.PAYMENT_REQUIRED),
    VOUCHER_MALFORMED(Problem.VOUCHER_MALFORMED),
    VOUCHER_WRONG_CATEGORY(Problem.VOUCHER_WRONG_CATEGORY),
    CHANNEL_UNKNOWN(Problem.CHANNEL_UNKNOWN),
    CHANNEL_UNTRUSTED(Problem.CHANNEL_UNTRUSTED),
    CHANNEL_WRONG_LISTING(Problem.CHANNEL_WRONG_LISTING),
    CHANNEL_NOT_SUBSCRIBED(Problem.CHANNEL_NOT_SUBSCRIBED),
    TOKEN_NOT_ACCEPTED(Problem.TOKEN_NOT_ACCEPTED),
    CHANNEL_TIMES_UNSAFE(Problem.CHANNEL_TIMES_UNSAFE),
    PRICE_BELOW_AGREEMENT(Problem.PRICE_BELOW_AGREEMENT),
    CATEGORY_NOT_PRICED(Problem.CATEGORY_NOT_PRICED),
    SIGNATURE_INVALID(Problem.SIGNATURE_INVALID),
    CHANNEL_CLOSING(Problem.CHANNEL_CLOSING),
    EPOCH_EXPIRED(Problem.EPOCH_EXPIRED),
    EPOCH_UNKNOWN(Problem.EPOCH_UNKNOWN),
    PRICE_TABLE_STALE(Problem.PRICE_TABLE_STALE),
    VOUCHER_REPLAYED(Problem.VOUCHER_REPLAYED),
    PAYMENT_INSUFFICIENT(Problem.PAYMENT_INSUFFICIENT),
    LISTING_UNKNOWN(Problem.LISTING_UNKNOWN),
    PAYMENT_UNAVAILABLE(Problem.PAYMENT_UNAVAILABLE),
    PAYMENT_SIGNATURE_MALFORMED(Problem.PAYMENT_SIGNATURE_MALFORMED),
    PAYMENT_SCHEME_UNKNOWN(Problem.PAYMENT_SCHEME_UNKNOWN),
    PAYMENT_TERMS_MISMATCH(Problem.PAYMENT_TERMS_MISMATCH),
    PAYMENT_WRONG_PAYEE(Problem.PAYMENT_WRONG_PAYEE),
    PAYMENT_BELOW_PRICE(Problem.PAYMENT_BELOW_PRICE),
    AUTHORIZATION_EXPIRED(Problem.AUTHORIZATION_EXPIRED),
    AUTHORIZATION_NOT_YET_VALID(Problem.AUTHORIZATION_NOT_YET_VALID),
    AUTHORIZATION_SIGNATURE_INVALID(Problem.AUTHORIZATION_SIGNATURE_INVALID),
    AUTHORIZATION_REPLAYED(Problem.AUTHORIZATION_REPLAYED),
    AUTHORIZATION_INSUFFICIENT_FUNDS(Problem.AUTHORIZATION_INSUFFICIENT_FUNDS),
    EGRESS_PRICE_ABOVE_CAP(Problem.EGRESS_PRICE_ABOVE_CAP),
    EGRESS_CHANNEL_REFUSED(Problem.EGRESS_CHANNEL_REFUSED),
    EGRESS_CHANNEL_UNFUNDED(Problem.EGRESS_CHANNEL_UNFUNDED),
    NOT_FOUND(Problem.NO_ROUTE),
    UPSTREAM_TIMEOUT(Problem.UPSTREAM_TIMEOUT),
    UPSTREAM_REFUSED(Problem.UPSTREAM_REFUSED),
    UPSTREAM_UNAVAILABLE(Problem.UPSTREAM_UNAVAILABLE),
    REQUEST_FAILED(Problem.REQUEST_FAILED);

    private final Problem problem;

    PaymentProblem(Problem problem) {
        if (problem.service() != Problem.Service.GATEWAY) {
            throw new IllegalArgumentException(problem + " is not the gateway's");
        }
        this.problem = problem;
    }

    /** The catalogue's entry. */
    public Problem problem() {
        return problem;
    }

    public String slug() {
        return problem.slug();
    }

    public HttpStatus status() {
        return HttpStatus.valueOf(problem.status());
    }

    public String title() {
        return problem.title();
    }
}
