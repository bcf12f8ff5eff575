package io.tollgate.gateway.payment.x402;

import reactor.core.publisher.Mono;

/**
 * Who settles an accepted {@code exact} payment on chain: the gateway's operator key ({@link OperatorKeySettler})
 * or an x402 facilitator ({@code /settle}). Never an error signal: a failure is a {@link Settled} without success.
 */
public interface ExactSettler {

    Mono<Settled> settle(ExactPayment payment);

    /**
     * The outcome: {@code transaction} is the hash of the mined settlement (empty when it failed).
     *
     * @param success whether the transfer was mined
     * @param transaction the settlement's transaction hash
     * @param errorReason why it failed (empty on success)
     */
    record Settled(boolean success, String transaction, String errorReason) {
        static Settled mined(String transaction) {
            return new Settled(true, transaction, "");
        }

        static Settled failed(String reason) {
            return new Settled(false, "", reason);
        }
    }
}
