package io.tollgate.marketplace.subscription;

/**
 * A subscription's state ({@code subscription.state}; the names are the stored values): PENDING from the prepared
 * factory call until the created channel is verified on chain, then ACTIVE, which gateways serve.
 */
public enum SubscriptionState {
    PENDING,
    ACTIVE
}
