package io.tollgate.gateway.payment;

import org.springframework.http.HttpStatus;

/**
 * The catalogue of problems the gateway answers with (the payment filter's refusals, and what
 * {@link GatewayProblemHandler} makes of every other error): a stable {@code type} slug under the configured
 * base ({@code tollgate.problems.base}, default {@code https://tollgate.dev/problems}), a status and a fixed
 * title. Clients branch on the type, never on the detail text.
 */
public enum PaymentProblem {
    PAYMENT_REQUIRED("payment-required", HttpStatus.PAYMENT_REQUIRED, "Payment required"),
    VOUCHER_MALFORMED("voucher-malformed", HttpStatus.BAD_REQUEST, "Payment-Voucher header is malformed"),
    VOUCHER_WRONG_CATEGORY(
            "voucher-wrong-category", HttpStatus.BAD_REQUEST, "Voucher is for another category than this route"),
    CHANNEL_UNKNOWN("channel-unknown", HttpStatus.FORBIDDEN, "Channel is not a known Intermediary"),
    CHANNEL_UNTRUSTED(
            "channel-untrusted", HttpStatus.FORBIDDEN, "Channel comes from an unknown factory or runs unknown code"),
    CHANNEL_WRONG_LISTING("channel-wrong-listing", HttpStatus.FORBIDDEN, "Channel does not pay this listing"),
    /** The marketplace has no active verified subscription for the channel: the body says where to subscribe. */
    CHANNEL_NOT_SUBSCRIBED(
            "channel-not-subscribed",
            HttpStatus.PAYMENT_REQUIRED,
            "Channel is not a subscription the marketplace verified"),
    TOKEN_NOT_ACCEPTED(
            "token-not-accepted", HttpStatus.FORBIDDEN, "Channel holds another token than the listing accepts"),
    CHANNEL_TIMES_UNSAFE(
            "channel-times-unsafe",
            HttpStatus.FORBIDDEN,
            "Channel's redeem window or close delay is not the agreed one or leaves no time to redeem"),
    PRICE_BELOW_AGREEMENT(
            "price-below-agreement", HttpStatus.FORBIDDEN, "Channel's price is below what the provider agreed"),
    CATEGORY_NOT_PRICED("category-not-priced", HttpStatus.FORBIDDEN, "Channel has no price for this category"),
    SIGNATURE_INVALID(
            "voucher-signature-invalid", HttpStatus.FORBIDDEN, "Voucher is not signed by the channel's signer"),
    CHANNEL_CLOSING("channel-closing", HttpStatus.PAYMENT_REQUIRED, "Channel is closing and takes no new vouchers"),
    EPOCH_EXPIRED("epoch-expired", HttpStatus.CONFLICT, "Voucher's epoch is no longer accepted"),
    EPOCH_UNKNOWN("epoch-unknown", HttpStatus.CONFLICT, "Voucher's epoch has not started"),
    PRICE_TABLE_STALE("price-table-stale", HttpStatus.CONFLICT, "Voucher signs another price table than its epoch's"),
    VOUCHER_REPLAYED("voucher-replayed", HttpStatus.CONFLICT, "Voucher count was already used"),
    PAYMENT_INSUFFICIENT(
            "payment-insufficient", HttpStatus.PAYMENT_REQUIRED, "Channel's unredeemed deposit does not cover it"),
    LISTING_UNKNOWN("listing-unknown", HttpStatus.SERVICE_UNAVAILABLE, "Route names a listing this gateway lacks"),
    PAYMENT_UNAVAILABLE(
            "payment-unavailable",
            HttpStatus.SERVICE_UNAVAILABLE,
            "Payment cannot be checked right now; nothing was charged"),
    /** Egress mode: the consumer's channel charges more than the consumer allows; nothing was signed. */
    EGRESS_PRICE_ABOVE_CAP(
            "egress-price-above-cap", HttpStatus.BAD_GATEWAY, "The channel's price is above the consumer's cap"),
    /** Egress mode: the consumer's channel cannot pay (unknown, untrusted). */
    EGRESS_CHANNEL_REFUSED("egress-channel-refused", HttpStatus.BAD_GATEWAY, "The consumer's channel cannot pay"),
    /** Egress mode: the provider reports too little credit and the channel's top-up budget is used up. */
    EGRESS_CHANNEL_UNFUNDED(
            "egress-channel-unfunded", HttpStatus.PAYMENT_REQUIRED, "The consumer's channel has run out of funds"),
    /** No route matches the request. */
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "No route matches this request"),
    /** The provider's API did not answer within the route's response timeout. */
    UPSTREAM_TIMEOUT("upstream-timeout", HttpStatus.GATEWAY_TIMEOUT, "The provider's API did not answer in time"),
    /** The provider's API could not be reached, or broke the connection before answering. */
    /** The upstream's address is one the upstream policy refuses (loopback, private, metadata, ...). */
    UPSTREAM_REFUSED("upstream-refused", HttpStatus.BAD_GATEWAY, "The provider's API address is refused"),
    UPSTREAM_UNAVAILABLE("upstream-unavailable", HttpStatus.BAD_GATEWAY, "The provider's API could not be reached"),
    /** Any other error; its status is the error's own (a 4xx the framework chose, or 500). */
    REQUEST_FAILED("request-failed", HttpStatus.INTERNAL_SERVER_ERROR, "The gateway could not handle the request");

    private final String slug;
    private final HttpStatus status;
    private final String title;

    PaymentProblem(String slug, HttpStatus status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
