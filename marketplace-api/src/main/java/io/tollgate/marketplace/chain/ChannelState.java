package io.tollgate.marketplace.chain;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A channel as the indexer last saw it ({@code chain_channel.state}, computed by the view from its events; the
 * names are the view's values): OPEN, CLOSING once a close was requested, CLOSED once closed.
 */
public enum ChannelState {
    OPEN,
    CLOSING,
    CLOSED;

    /** The state a {@code chain_channel.state} value stands for; empty when the channel is not indexed yet. */
    public static Optional<ChannelState> indexed(@Nullable String value) {
        return Optional.ofNullable(value).map(ChannelState::valueOf);
    }
}
