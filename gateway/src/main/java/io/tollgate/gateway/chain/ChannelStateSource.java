package io.tollgate.gateway.chain;

import reactor.core.publisher.Mono;

/** Reads a channel from the chain (web3j against the node in production). */
public interface ChannelStateSource {

    /** The channel's current state, or why it is refused. */
    Mono<ChannelLookup> read(String channel);
}
