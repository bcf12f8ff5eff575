package io.tollgate.gateway.chain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Channel states set by tests, standing in for the chain until the Intermediary wrappers exist (then the
 * filter tests run against anvil). Unlisted channels are unknown.
 */
public final class TestChain implements ChannelStateSource {

    private final Map<String, ChannelLookup> channels = new ConcurrentHashMap<>();

    public void put(ChannelState state) {
        channels.put(state.channel(), new ChannelLookup.Found(state));
    }

    public void refuse(String channel, ChannelLookup.Reason reason) {
        channels.put(channel, new ChannelLookup.Refused(reason));
    }

    @Override
    public Mono<ChannelLookup> read(String channel) {
        return Mono.just(
                channels.getOrDefault(channel, new ChannelLookup.Refused(ChannelLookup.Reason.UNKNOWN_CHANNEL)));
    }
}
