package io.tollgate.gateway.payment;

import reactor.core.publisher.Mono;

/**
 * Asks the marketplace about one channel: {@link Agreement.Confirmed} or {@link Agreement.NotSubscribed}; an
 * error signal when the marketplace cannot be reached or answers anything else.
 */
public interface AgreementSource {

    Mono<Agreement> read(String channel);
}
