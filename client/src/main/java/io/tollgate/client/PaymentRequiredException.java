package io.tollgate.client;

import io.tollgate.protocol.Problem;
import java.util.Optional;

/** 402: the gateway wants a payment this client cannot make as it stands; the problem says how to pay. */
public final class PaymentRequiredException extends TollgateClientException {
    private final PaymentProblem problem;

    PaymentRequiredException(PaymentProblem problem) {
        super(message(problem));
        this.problem = problem;
    }

    public PaymentProblem problem() {
        return problem;
    }

    /** Where to subscribe to the listing (create and fund a channel), when the gateway says. */
    public Optional<String> subscribeUrl() {
        return problem.member("subscribe");
    }

    private static String message(PaymentProblem problem) {
        var text = new StringBuilder(problem.title() == null ? Problem.PAYMENT_REQUIRED.title() : problem.title());
        if (problem.detail() != null) {
            text.append(": ").append(problem.detail());
        }
        problem.member("listing")
                .ifPresent(l -> text.append(" (listing ").append(l).append(')'));
        problem.member("subscribe")
                .ifPresent(s -> text.append("; subscribe at ").append(s));
        problem.member("unredeemedDeposit")
                .ifPresent(d -> text.append("; unredeemed deposit ").append(d).append(" wei"));
        return text.toString();
    }
}
