package io.tollgate.client;

/** The gateway refused the voucher (400, 403, 409, 503 problem+json); {@link #problem()} says why. */
public final class PaymentRefusedException extends TollgateClientException {
    private final PaymentProblem problem;

    PaymentRefusedException(PaymentProblem problem) {
        super(problem.status() + " " + problem.slug() + ": "
                + (problem.detail() == null ? String.valueOf(problem.title()) : problem.detail()));
        this.problem = problem;
    }

    public PaymentProblem problem() {
        return problem;
    }
}
