package io.tollgate.protocol.sla;

import java.util.Optional;

/**
 * Where the submission of an ended SLA window stands ({@code sla_submission.state}): written by the monitor's
 * submitter, read by the marketplace's SLA pages. The names are the stored values.
 *
 * <p>Release 1 goes SENDING (claimed, the report sent), then CONFIRMED or REFUSED; NO_PENALTY is recorded instead
 * when nothing is due. Release 2 goes REPORTS_ADDED (reports added during the report period), SENDING (the
 * settlement claimed), CONFIRMED; or REFUSED (too few reports on chain, or the chain refused the settlement).
 */
public enum SubmissionState {
    /** No record yet (never stored: the absence of a row). */
    NONE,
    /** Claimed by a submitter and sent (or about to be); looked at again when it does not confirm. */
    SENDING,
    /** The chain has the window reported (or settled). */
    CONFIRMED,
    /** The chain refused it for good, or release 2's report period ended without a quorum on chain. */
    REFUSED,
    /** The median is due no penalty: recorded, not sent. */
    NO_PENALTY,
    /** Release 2: reports were added on chain; the settlement follows once the report period is over. */
    REPORTS_ADDED;

    /** The state a stored value (null: no row) stands for. */
    public static SubmissionState stored(String value) {
        return Optional.ofNullable(value).map(SubmissionState::valueOf).orElse(NONE);
    }

    /** Whether a submitter claimed the window and sent it, or the chain has it (the page shows it submitted). */
    public boolean submitted() {
        return this == SENDING || this == CONFIRMED;
    }
}
