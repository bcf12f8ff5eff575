package io.tollgate.gateway.payment;

import reactor.core.publisher.Mono;

/**
 * The agreed terms of channels as the request path needs them: from memory once known, never an error signal
 * (a marketplace that cannot be asked is {@link Agreement.Unavailable}).
 */
public interface Agreements {

    Mono<Agreement> lookup(String channel);

    /** Without a marketplace no channel can be confirmed. */
    Agreements NONE = channel -> Mono.just(new Agreement.Unavailable("this gateway has no marketplace configured"));
}
