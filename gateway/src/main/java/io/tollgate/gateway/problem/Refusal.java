package io.tollgate.gateway.problem;

import java.util.Map;

/** A request the payment filter does not forward: which problem, a detail, and members saying what to do. */
public record Refusal(PaymentProblem problem, String detail, Map<String, Object> members) {

    public Refusal {
        members = Map.copyOf(members);
    }

    public static Refusal of(PaymentProblem problem, String detail) {
        return new Refusal(problem, detail, Map.of());
    }
}
