package io.tollgate.gateway.problem;

import io.tollgate.protocol.Headers;
import io.tollgate.upstream.UpstreamRefusedException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers every error that reaches the web layer as a problem of the one catalogue ({@link PaymentProblem}), in
 * the same {@code application/problem+json} shape as the payment filter's refusals: no route ({@code not-found},
 * 404), a provider's API that is down or breaks the connection ({@code upstream-unavailable}, 502) or does not
 * answer within the route's response timeout ({@code upstream-timeout}, 504), anything else
 * ({@code request-failed} with the error's status, 500 when it has none). Runs before Spring Boot's own handler.
 * When the voucher was accepted before the upstream failed, the response keeps {@code Payment-Accepted-Count}
 * and the detail says the count was used.
 */
final class GatewayProblemHandler implements ErrorWebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(GatewayProblemHandler.class);

    private final ProblemResponder problems;

    GatewayProblemHandler(ProblemResponder problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return -2; // Spring Boot's DefaultErrorWebExceptionHandler is -1
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        HttpStatusCode status =
                error instanceof ResponseStatusException e ? e.getStatusCode() : HttpStatus.INTERNAL_SERVER_ERROR;
        PaymentProblem problem = classify(error, status);
        if (problem == PaymentProblem.REQUEST_FAILED && status.is5xxServerError()) {
            log.atWarn().setCause(error).log("request failed");
        }
        String accepted = response.getHeaders().getFirst(Headers.ACCEPTED_COUNT);
        String detail = switch (problem) {
            case NOT_FOUND -> "no route for " + exchange.getRequest().getPath().value();
            case UPSTREAM_TIMEOUT -> "the provider's API did not answer within the route's response timeout";
            case UPSTREAM_UNAVAILABLE -> "the provider's API could not be reached or broke the connection";
            case UPSTREAM_REFUSED ->
                "the provider's API resolves to an address this gateway does not connect to (" + refusedRule(error)
                        + "); nothing was sent to it";
            default -> status.isError() ? "the request could not be handled" : "request failed";
        };
        if (accepted != null) {
            detail += "; the voucher's count " + accepted + " was used";
        }
        response.getHeaders().remove("Content-Type");
        response.getHeaders().remove("Content-Length");
        return problems.respond(
                exchange,
                Refusal.of(problem, detail),
                problem == PaymentProblem.REQUEST_FAILED ? status : problem.status());
    }

    private static PaymentProblem classify(Throwable error, HttpStatusCode status) {
        if (status.value() == 404) {
            return PaymentProblem.NOT_FOUND;
        }
        if (causedBy(error, UpstreamRefusedException.class)) {
            return PaymentProblem.UPSTREAM_REFUSED;
        }
        if (status.value() == 504 || causedBy(error, TimeoutException.class)) {
            return PaymentProblem.UPSTREAM_TIMEOUT;
        }
        if (status.value() == 502 || causedBy(error, IOException.class)) {
            return PaymentProblem.UPSTREAM_UNAVAILABLE;
        }
        return PaymentProblem.REQUEST_FAILED;
    }

    /** The rule, for the client; the operator's log line has the whole decision (address and setting). */
    private static String refusedRule(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UpstreamRefusedException refused) {
                log.atWarn()
                        .addKeyValue("rule", refused.rule())
                        .log("upstream connection refused by the upstream policy: {}", refused.getMessage());
                return refused.rule().description();
            }
        }
        return "refused";
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
