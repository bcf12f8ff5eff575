package io.tollgate.marketplace.problem;

import java.util.Map;

/**
 * An expected refusal raised by a use case: becomes a problem+json answer of its type, with a detail a
 * person can act on and extension members (e.g. the listing that was not found).
 */
public final class ApiProblem extends RuntimeException {
    private final ProblemType type;
    private final Map<String, Object> members;

    public ApiProblem(ProblemType type, String detail, Map<String, Object> members) {
        super(detail);
        this.type = type;
        this.members = Map.copyOf(members);
    }

    public ApiProblem(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> members() {
        return members;
    }
}
