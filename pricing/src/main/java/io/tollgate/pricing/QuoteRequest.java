package io.tollgate.pricing;

/** What a consumer offers when asking for a quote: the deposit it will fund and the volume it expects. */
public record QuoteRequest(Wei deposit, long expectedRequests) {
    public QuoteRequest {
        if (deposit == null || expectedRequests < 0) {
            throw new IllegalArgumentException("a quote request needs a deposit and a non-negative volume");
        }
    }
}
