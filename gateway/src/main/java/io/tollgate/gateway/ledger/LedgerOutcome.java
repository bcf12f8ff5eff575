package io.tollgate.gateway.ledger;

import io.tollgate.pricing.Wei;

/** What the atomic ledger step decided about one voucher. */
public sealed interface LedgerOutcome {

    /**
     * The voucher pays for this request.
     *
     * @param bestCount the highest count accepted so far for the voucher's epoch and category
     * @param exposure Σ best count × price over all unredeemed epochs and categories of the channel
     * @param remainingCredit unredeemed deposit minus exposure: what the consumer may still spend
     */
    record Accepted(long bestCount, Wei exposure, Wei remainingCredit) implements LedgerOutcome {}

    /** The voucher does not pay; nothing was recorded. */
    record Rejected(Reason reason) implements LedgerOutcome {}

    /** Why a voucher was refused, each with what an honest client does. */
    enum Reason {
        /** The count was used before (a copy or a retry): an honest client signs the next count. */
        REPLAYED,
        /** The count is older than the anti-replay window: an honest client signs the next count. */
        BELOW_WINDOW,
        /** Accepting it would promise more than the unredeemed deposit: an honest client tops up. */
        UNDERFUNDED,
        /** The epoch was already redeemed on chain: an honest client signs for the active epoch. */
        EPOCH_REDEEMED
    }
}
