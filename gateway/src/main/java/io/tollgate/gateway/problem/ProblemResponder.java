package io.tollgate.gateway.problem;

import java.util.LinkedHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Writes a {@link Refusal} as RFC 9457 {@code application/problem+json}, never cached. */
public final class ProblemResponder {

    private final ObjectMapper json;
    private final String base;

    public ProblemResponder(ObjectMapper json, ProblemProperties properties) {
        this.json = json;
        this.base = properties.base().endsWith("/")
                ? properties.base().substring(0, properties.base().length() - 1)
                : properties.base();
    }

    public String typeOf(PaymentProblem problem) {
        return base + "/" + problem.slug();
    }

    public Mono<Void> respond(ServerWebExchange exchange, Refusal refusal) {
        return respond(exchange, refusal, refusal.problem().status());
    }

    /** As {@link #respond(ServerWebExchange, Refusal)}, with a status other than the problem's usual one. */
    public Mono<Void> respond(ServerWebExchange exchange, Refusal refusal, HttpStatusCode status) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", typeOf(refusal.problem()));
        body.put("title", refusal.problem().title());
        body.put("status", status.value());
        body.put("detail", refusal.detail());
        body.put("instance", exchange.getRequest().getPath().value());
        body.putAll(refusal.members());
        byte[] bytes = json.writeValueAsBytes(body);
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setCacheControl("no-store");
        response.getHeaders().setContentLength(bytes.length);
        if (status.value() == 402) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Payment realm=\"tollgate\"");
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
