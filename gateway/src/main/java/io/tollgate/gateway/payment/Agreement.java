package io.tollgate.gateway.payment;

/** What the marketplace says about a channel: its agreed terms, or that it is no subscription at all. */
public sealed interface Agreement {

    /** An active subscription the marketplace verified on chain, with the terms agreed. */
    record Confirmed(AgreedTerms terms) implements Agreement {}

    /** The marketplace has no active verified subscription for the channel (it answered 404). */
    record NotSubscribed() implements Agreement {}

    /** The marketplace could not be asked and nothing is known of the channel: nothing is served (503). */
    record Unavailable(String reason) implements Agreement {}
}
