package io.tollgate.protocol;

/**
 * The one catalogue of RFC 9457 problem types Tollgate answers with: a stable {@code type} slug (under a configured
 * base, default {@code https://tollgate.dev/problems}: {@code {base}/<slug>}), a fixed title and the HTTP status.
 * Clients branch on the slug, never on the detail text.
 *
 * <p>Each problem is answered by one {@link Service}; a slug is unique within a service. Two slugs are answered by
 * both, with the status each side has always given: {@code not-found} (the gateway: no route; the marketplace: no
 * such resource) and {@code channel-not-subscribed} (the gateway refuses to serve the channel, 402; the
 * marketplace's feed of agreed terms has none for it, 404).
 */
public enum Problem {
    // ---------------------------------------------------------------------- the gateway: payment refusals
    PAYMENT_REQUIRED(Service.GATEWAY, "payment-required", 402, "Payment required"),
    VOUCHER_MALFORMED(Service.GATEWAY, "voucher-malformed", 400, "Payment-Voucher header is malformed"),
    VOUCHER_WRONG_CATEGORY(
            Service.GATEWAY, "voucher-wrong-category", 400, "Voucher is for another category than this route"),
    CHANNEL_UNKNOWN(Service.GATEWAY, "channel-unknown", 403, "Channel is not a known Intermediary"),
    CHANNEL_UNTRUSTED(
            Service.GATEWAY, "channel-untrusted", 403, "Channel comes from an unknown factory or runs unknown code"),
    CHANNEL_WRONG_LISTING(Service.GATEWAY, "channel-wrong-listing", 403, "Channel does not pay this listing"),
    /** The marketplace has no active verified subscription for the channel: the body says where to subscribe. */
    CHANNEL_NOT_SUBSCRIBED(
            Service.GATEWAY, "channel-not-subscribed", 402, "Channel is not a subscription the marketplace verified"),
    TOKEN_NOT_ACCEPTED(
            Service.GATEWAY, "token-not-accepted", 403, "Channel holds another token than the listing accepts"),
    CHANNEL_TIMES_UNSAFE(
            Service.GATEWAY,
            "channel-times-unsafe",
            403,
            "Channel's redeem window or close delay is not the agreed one or leaves no time to redeem"),
    PRICE_BELOW_AGREEMENT(
            Service.GATEWAY, "price-below-agreement", 403, "Channel's price is below what the provider agreed"),
    CATEGORY_NOT_PRICED(Service.GATEWAY, "category-not-priced", 403, "Channel has no price for this category"),
    SIGNATURE_INVALID(
            Service.GATEWAY, "voucher-signature-invalid", 403, "Voucher is not signed by the channel's signer"),
    CHANNEL_CLOSING(Service.GATEWAY, "channel-closing", 402, "Channel is closing and takes no new vouchers"),
    /** The client adopts the problem's active epoch and prices, and signs again. */
    EPOCH_EXPIRED(Service.GATEWAY, "epoch-expired", 409, "Voucher's epoch is no longer accepted"),
    /** The client adopts the problem's active epoch and prices, and signs again. */
    EPOCH_UNKNOWN(Service.GATEWAY, "epoch-unknown", 409, "Voucher's epoch has not started"),
    /** The client adopts the problem's active epoch and prices, and signs again. */
    PRICE_TABLE_STALE(Service.GATEWAY, "price-table-stale", 409, "Voucher signs another price table than its epoch's"),
    /** The client moves its counter past the problem's highest count and signs again. */
    VOUCHER_REPLAYED(Service.GATEWAY, "voucher-replayed", 409, "Voucher count was already used"),
    PAYMENT_INSUFFICIENT(
            Service.GATEWAY, "payment-insufficient", 402, "Channel's unredeemed deposit does not cover it"),
    LISTING_UNKNOWN(Service.GATEWAY, "listing-unknown", 503, "Route names a listing this gateway lacks"),
    /** Nothing was charged: the client may send the same voucher again. */
    PAYMENT_UNAVAILABLE(
            Service.GATEWAY, "payment-unavailable", 503, "Payment cannot be checked right now; nothing was charged"),

    // ---------------------------------------------------------------------- the gateway: x402 PAYMENT-SIGNATURE
    // all answered 402, so an x402 client reads the refusal's PAYMENT-REQUIRED (its `error`) and may pay again
    PAYMENT_SIGNATURE_MALFORMED(
            Service.GATEWAY,
            "payment-signature-malformed",
            402,
            "PAYMENT-SIGNATURE header is not a base64 x402 version 2 payment payload"),
    PAYMENT_SCHEME_UNKNOWN(
            Service.GATEWAY, "payment-scheme-unknown", 402, "Payment scheme is not one this route accepts"),
    /** The payload's network, asset or version is not the accepted entry's. */
    PAYMENT_TERMS_MISMATCH(
            Service.GATEWAY,
            "payment-terms-mismatch",
            402,
            "Payment is for another network or asset than this route's"),
    PAYMENT_WRONG_PAYEE(
            Service.GATEWAY, "payment-wrong-payee", 402, "Authorization pays another address than the provider"),
    PAYMENT_BELOW_PRICE(
            Service.GATEWAY, "payment-below-price", 402, "Authorization's value is below the route's price"),
    AUTHORIZATION_EXPIRED(Service.GATEWAY, "authorization-expired", 402, "Authorization is no longer valid"),
    AUTHORIZATION_NOT_YET_VALID(Service.GATEWAY, "authorization-not-yet-valid", 402, "Authorization is not valid yet"),
    AUTHORIZATION_SIGNATURE_INVALID(
            Service.GATEWAY,
            "authorization-signature-invalid",
            402,
            "Authorization is not signed by its payer under the token's EIP-712 domain"),
    /** The authorization's nonce was used (or is being used by another request); sign a new one. */
    AUTHORIZATION_REPLAYED(Service.GATEWAY, "authorization-replayed", 402, "Authorization was already used"),
    /**
     * The payer's token balance, less what its authorizations still unsettled at this provider's gateways promise,
     * does not cover the authorization's value; fund the address or wait for earlier payments to settle.
     */
    AUTHORIZATION_INSUFFICIENT_FUNDS(
            Service.GATEWAY,
            "authorization-insufficient-funds",
            402,
            "Payer's balance does not cover the authorization beside its unsettled ones"),

    // ---------------------------------------------------------------------- the gateway: egress mode
    /** The consumer's channel charges more than the consumer allows; nothing was signed. */
    EGRESS_PRICE_ABOVE_CAP(
            Service.GATEWAY, "egress-price-above-cap", 502, "The channel's price is above the consumer's cap"),
    /** The consumer's channel cannot pay (unknown, untrusted). */
    EGRESS_CHANNEL_REFUSED(Service.GATEWAY, "egress-channel-refused", 502, "The consumer's channel cannot pay"),
    /** The provider reports too little credit and the channel's top-up budget is used up. */
    EGRESS_CHANNEL_UNFUNDED(
            Service.GATEWAY, "egress-channel-unfunded", 402, "The consumer's channel has run out of funds"),

    // ---------------------------------------------------------------------- the gateway: every other error
    /** No route matches the request. */
    NO_ROUTE(Service.GATEWAY, "not-found", 404, "No route matches this request"),
    /** The provider's API did not answer within the route's response timeout. */
    UPSTREAM_TIMEOUT(Service.GATEWAY, "upstream-timeout", 504, "The provider's API did not answer in time"),
    /** The upstream's address is one the upstream policy refuses (loopback, private, metadata, ...). */
    UPSTREAM_REFUSED(Service.GATEWAY, "upstream-refused", 502, "The provider's API address is refused"),
    /** The provider's API could not be reached, or broke the connection before answering. */
    UPSTREAM_UNAVAILABLE(Service.GATEWAY, "upstream-unavailable", 502, "The provider's API could not be reached"),
    /** Any other error; its status is the error's own (a 4xx the framework chose, or 500). */
    REQUEST_FAILED(Service.GATEWAY, "request-failed", 500, "The gateway could not handle the request"),

    // ---------------------------------------------------------------------- the marketplace
    NOT_FOUND(Service.MARKETPLACE, "not-found", 404, "Not found"),
    INVALID_REQUEST(Service.MARKETPLACE, "invalid-request", 400, "Invalid request"),
    MALFORMED_REQUEST(Service.MARKETPLACE, "malformed-request", 400, "Malformed request"),
    METHOD_NOT_ALLOWED(Service.MARKETPLACE, "method-not-allowed", 405, "Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE(Service.MARKETPLACE, "unsupported-media-type", 415, "Unsupported media type"),
    NOT_ACCEPTABLE(Service.MARKETPLACE, "not-acceptable", 406, "Not acceptable"),
    UNAUTHENTICATED(Service.MARKETPLACE, "unauthenticated", 401, "Sign in first"),
    FORBIDDEN(Service.MARKETPLACE, "forbidden", 403, "Not yours"),
    CONFLICT(Service.MARKETPLACE, "conflict", 409, "Conflict"),
    /** A listing's token address holds no ERC-20 (no code, or symbol()/decimals() revert or answer garbage). */
    TOKEN_NOT_ERC20(Service.MARKETPLACE, "token-not-erc20", 422, "Token is not an ERC-20"),
    UPGRADE_CONSENT_REFUSED(Service.MARKETPLACE, "upgrade-consent-refused", 422, "Upgrade consent refused"),
    UPGRADE_OFFER_ENDED(Service.MARKETPLACE, "upgrade-offer-ended", 409, "Upgrade offer ended"),
    /**
     * An EIP-2612 permit for funding a channel (subscribe, top-up, SLA collateral) the factory would not take: signed
     * by another key than the caller's wallet, past its deadline, or for another amount; the detail says which.
     */
    PERMIT_REFUSED(Service.MARKETPLACE, "permit-refused", 422, "Permit refused"),
    /** The agreed-terms feed ({@code GET /api/gateway/channels/{address}}) has no active subscription. */
    SUBSCRIPTION_NOT_FOUND(Service.MARKETPLACE, "channel-not-subscribed", 404, "Channel not subscribed"),
    INTERNAL(Service.MARKETPLACE, "internal-error", 500, "Internal error");

    /** Who answers with a problem. */
    public enum Service {
        GATEWAY,
        MARKETPLACE
    }

    private final Service service;
    private final String slug;
    private final int status;
    private final String title;

    Problem(Service service, String slug, int status, String title) {
        this.service = service;
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public Service service() {
        return service;
    }

    /** The last segment of the type URI: what clients branch on. */
    public String slug() {
        return slug;
    }

    /** The HTTP status it is answered with. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Whether {@code slug} is this problem's: how a client recognizes one in an answer. */
    public boolean is(String slug) {
        return this.slug.equals(slug);
    }
}
