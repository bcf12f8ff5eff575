package io.tollgate.gateway.chain;

import io.tollgate.settings.ChainProperties;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * Channels declared in {@code tollgate.chain.static-channels} (benchmark and local experiments only): each in
 * epoch 1 with the configured prices and deposit, never closing. Any other channel is unknown.
 */
public final class StaticChannelStateSource implements ChannelStateSource {

    private final Map<String, ChannelLookup> channels;

    public StaticChannelStateSource(ChainProperties chain, GatewayChainProperties gateway) {
        channels = gateway.staticChannels().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        e -> e.getKey().toLowerCase(Locale.ROOT), e -> found(e.getKey(), e.getValue(), chain)));
    }

    private static ChannelLookup found(
            String address, GatewayChainProperties.StaticChannel c, ChainProperties properties) {
        if (c.operator() == null) {
            throw new IllegalArgumentException("tollgate.chain.static-channels[" + address
                    + "].operator is not set: name the operator key the listing's gateways redeem with");
        }
        return new ChannelLookup.Found(new ChannelState(
                address.toLowerCase(Locale.ROOT),
                properties.chainId(),
                c.factory().toLowerCase(Locale.ROOT),
                c.provider().toLowerCase(Locale.ROOT),
                c.signer().toLowerCase(Locale.ROOT),
                1,
                Map.of(1L, new EpochTerms(1, c.prices(), Optional.empty())),
                c.deposit(),
                1,
                Optional.empty(),
                false,
                new ChannelState.Parties(
                        c.owner() != null ? c.owner() : c.signer(),
                        c.token(),
                        c.operator(),
                        c.redeemWindow(),
                        c.closeDelay())));
    }

    @Override
    public Mono<ChannelLookup> read(String channel) {
        return Mono.just(
                channels.getOrDefault(channel, new ChannelLookup.Refused(ChannelLookup.Reason.UNKNOWN_CHANNEL)));
    }
}
