package io.tollgate.gateway.payment.x402;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Settles through an x402 facilitator: {@code POST <url>/settle} with {@code {x402Version: 2, paymentPayload,
 * paymentRequirements}} (the payload as the client sent it, its {@code accepted} entry as the requirements), the
 * answer an x402 {@code SettleResponse} ({@code success}, {@code transaction}, {@code errorReason}). The
 * facilitator's key pays the gas. A facilitator that does not answer in {@code timeout} has not settled.
 */
final class FacilitatorSettler implements ExactSettler {
    private static final Logger log = LoggerFactory.getLogger(FacilitatorSettler.class);

    private final WebClient http;
    private final URI settle;
    private final Duration timeout;

    FacilitatorSettler(WebClient.Builder http, URI facilitator, Duration timeout) {
        this.http = http.build();
        String base = facilitator.toString();
        this.settle = URI.create((base.endsWith("/") ? base : base + "/") + "settle");
        this.timeout = timeout;
    }

    @Override
    public Mono<Settled> settle(ExactPayment payment) {
        var request = new LinkedHashMap<String, Object>();
        request.put("x402Version", X402.VERSION);
        request.put("paymentPayload", payment.payload());
        request.put("paymentRequirements", payment.payload().get("accepted"));
        return http.post()
                .uri(settle)
                .bodyValue(request)
                .retrieve()
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {})
                .timeout(timeout)
                .map(response -> Boolean.TRUE.equals(response.get("success"))
                                && response.get("transaction") instanceof String transaction
                                && !transaction.isBlank()
                        ? Settled.mined(transaction)
                        : Settled.failed(String.valueOf(response.getOrDefault("errorReason", "settle_failed"))))
                .doOnNext(settled -> log.atInfo()
                        .addKeyValue("payer", payment.payer())
                        .addKeyValue("nonce", payment.nonceHex())
                        .addKeyValue("transaction", settled.transaction())
                        .addKeyValue("errorReason", settled.errorReason())
                        .log("exact payment sent to the facilitator"))
                .onErrorResume(e -> {
                    log.atWarn()
                            .addKeyValue("payer", payment.payer())
                            .setCause(e)
                            .log("the facilitator did not settle");
                    return Mono.just(Settled.failed("facilitator_unavailable"));
                });
    }
}
