package io.tollgate.marketplace.sla;

/** Where an ended window stands (the names are what the page reads). */
public enum WindowStatus {
    /** Fewer reports than the quorum. */
    AWAITING_REPORTS,
    /** Nothing due (the median reached the target, or the tiers ask nothing). */
    MET,
    /** A penalty is due and not yet submitted. */
    DUE,
    /** Sent, not yet indexed. */
    SUBMITTED,
    /** The chain paid it (indexed). */
    PAID,
    /** The chain refused it for good (e.g. the channel closed). */
    REFUSED,
    /** Release 2: reports added on chain, the report period running or the settlement to come. */
    REPORTING,
    /** Release 2: not settled in time: nothing is paid. */
    EXPIRED
}
