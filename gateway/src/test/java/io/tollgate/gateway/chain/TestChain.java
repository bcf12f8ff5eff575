package io.tollgate.gateway.chain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Channel states set by tests, standing in for the chain until the Intermediary wrappers exist (then the
 * filter tests run against anvil). Unlisted channels are unknown.
 */
public final class TestChain implements ChannelStateSource {

    /** The operator tests' listings name (anvil's public test account 4). */
    public static final String OPERATOR = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";

    /**
     * The parties of a channel the tests' listings admit: an owner of its own, ether, the listings' {@link
     * #OPERATOR}, T_r 60 s and T_c 900 s.
     */
    public static final ChannelState.Parties PARTIES = new ChannelState.Parties(
            "0x00000000000000000000000000000000000000a0",
            ChannelState.ETHER,
            OPERATOR,
            java.time.Duration.ofSeconds(60),
            java.time.Duration.ofSeconds(900));

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
