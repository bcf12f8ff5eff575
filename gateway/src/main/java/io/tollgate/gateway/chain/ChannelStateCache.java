package io.tollgate.gateway.chain;

import reactor.core.publisher.Mono;

/**
 * Chain state of channels as the request path needs it: from memory, never waiting for the chain except on
 * the first request of a channel. Errors (the node is unreachable and nothing is cached) are error signals:
 * callers fail closed.
 */
public interface ChannelStateCache {

    Mono<ChannelLookup> lookup(String channel);

    /** Forgets what is cached about a channel (the gateway itself just changed it on chain). */
    default void invalidate(String channel) {}

    /**
     * Reads the channel from the chain now and answers what it read (and caches it), for a caller that must
     * see a change (a requested close) within a bound; other lookups keep being answered from memory meanwhile.
     */
    default Mono<ChannelLookup> fresh(String channel) {
        invalidate(channel);
        return lookup(channel);
    }
}
