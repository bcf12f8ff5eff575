package io.tollgate.marketplace.sla;

/** Where the collateral stands (the names are what the page reads). */
public enum CollateralState {
    /** Nothing deposited yet. */
    NOT_DEPOSITED,
    /** What is left pays the largest tier. */
    COVERED,
    /** What is left pays less than the largest tier. */
    LOW,
    /** Deposited and all paid out: further penalties cannot be paid. */
    EXHAUSTED,
    /** The channel closed and what was left went to the provider. */
    RETURNED
}
