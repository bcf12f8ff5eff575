package io.tollgate.client;

/** A payment the client could not make or the gateway refused; the message says what to do. */
public sealed class TollgateClientException extends RuntimeException
        permits PaymentRequiredException, PaymentRefusedException, PriceAboveCapException {
    TollgateClientException(String message) {
        super(message);
    }
}
