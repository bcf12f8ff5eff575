package io.tollgate.marketplace.chain;

/**
 * A channel as the indexer last saw it ({@code chain_channel.state}, computed by the view from its events; the
 * names are the view's values): OPEN, CLOSING once a close was requested, CLOSED once closed.
 */
public enum ChannelState {
    OPEN,
    CLOSING,
    CLOSED
}
