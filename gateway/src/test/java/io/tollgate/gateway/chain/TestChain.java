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

    /**
     * A fresh release-1 channel (a random address on chain 31337, of the tests' factory and provider) in epoch 1 at
     * {@code prices}, its vouchers signed by {@code signer}, {@code deposit} not redeemed yet, closing at
     * {@code closesAt} if at all.
     */
    public static ChannelState openInEpochOne(
            String signer,
            io.tollgate.pricing.PriceTable prices,
            io.tollgate.pricing.Wei deposit,
            java.util.Optional<java.time.Instant> closesAt) {
        return new ChannelState(
                io.tollgate.gateway.RealRedis.randomChannel(),
                31337,
                "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
                "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
                signer,
                1,
                Map.of(1L, new EpochTerms(1, prices, java.util.Optional.empty())),
                deposit,
                1,
                closesAt,
                false,
                PARTIES);
    }

    /**
     * {@code s} after a redemption step of the fake chain: {@code channel} (release 1, the tests' parties) in {@code
     * activeEpoch} with {@code epochs}, {@code unredeemedDeposit} and {@code oldestUnredeemedEpoch}.
     */
    public static ChannelState stepped(
            String channel,
            ChannelState s,
            long activeEpoch,
            Map<Long, EpochTerms> epochs,
            io.tollgate.pricing.Wei unredeemedDeposit,
            long oldestUnredeemedEpoch) {
        return new ChannelState(
                channel,
                s.chainId(),
                s.factory(),
                s.provider(),
                s.signer(),
                activeEpoch,
                epochs,
                unredeemedDeposit,
                oldestUnredeemedEpoch,
                s.closesAt(),
                s.closed(),
                PARTIES);
    }

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
