package io.tollgate.protocol;

/** The HTTP header names of the protocol, between client, gateway and upstream. */
public final class Headers {
    /** Request: the voucher that pays for it ({@link VoucherHeader}). */
    public static final String VOUCHER = "Payment-Voucher";
    /** Request, optional: the caller's channel, so a 402 can give its active epoch. */
    public static final String CHANNEL = "Payment-Channel";
    /** Response: the count of the voucher the gateway accepted. */
    public static final String ACCEPTED_COUNT = "Payment-Accepted-Count";
    /** Response: what the channel's unredeemed deposit still covers, decimal wei. */
    public static final String REMAINING_CREDIT = "Payment-Remaining-Credit";
    /** Request to the upstream: the channel (or a caller's own origin address) a request was paid for. */
    public static final String ORIGIN = "Tollgate-Origin";
    /** Request to the upstream: the listing's shared secret, so the upstream can refuse traffic past the gateway. */
    public static final String UPSTREAM_SECRET = "Tollgate-Upstream-Secret";

    private Headers() {}
}
