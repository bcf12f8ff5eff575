package io.tollgate.gateway.chain;

import io.tollgate.settings.ChainProperties;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which channels this gateway may be paid through: created by a trusted factory and running an implementation
 * whose runtime code hash is known. A chain reader asks it once per channel (both facts are immutable unless
 * the channel is upgraded, which only moves to a registered release; the reader re-asks after an
 * {@code Upgraded} event).
 */
public final class ChannelTrust {

    private final Set<String> factories;
    private final Set<String> codeHashes;

    public ChannelTrust(ChainProperties chain, GatewayChainProperties gateway) {
        this.factories = lower(chain.factories());
        this.codeHashes = lower(gateway.implementationCodeHashes());
    }

    private static Set<String> lower(java.util.List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param factory the factory that created the channel (from its creation event or the factory's registry)
     * @param implementationCodeHash keccak-256 of the runtime code behind the channel's ERC-1967 proxy
     * @return why the channel is refused, or empty when it is trusted
     */
    public Optional<ChannelLookup.Reason> refusal(String factory, String implementationCodeHash) {
        if (!factories.contains(factory.toLowerCase(Locale.ROOT))) {
            return Optional.of(ChannelLookup.Reason.UNKNOWN_FACTORY);
        }
        if (!codeHashes.contains(implementationCodeHash.toLowerCase(Locale.ROOT))) {
            return Optional.of(ChannelLookup.Reason.UNKNOWN_IMPLEMENTATION);
        }
        return Optional.empty();
    }
}
