/**
 * The problems the gateway answers with: its part of the protocol's catalogue ({@link
 * io.tollgate.gateway.problem.PaymentProblem}), a refusal ({@link io.tollgate.gateway.problem.Refusal}) written as
 * {@code application/problem+json} by the {@link io.tollgate.gateway.problem.ProblemResponder}, and every other
 * error mapped to the same catalogue.
 */
package io.tollgate.gateway.problem;
