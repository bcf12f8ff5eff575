package io.tollgate.gateway.chain;

/** Whether a channel may pay this gateway, and its state when it may. */
public sealed interface ChannelLookup {

    record Found(ChannelState state) implements ChannelLookup {}

    record Refused(Reason reason) implements ChannelLookup {}

    enum Reason {
        /**
         * No contract at that address yet: the channel may not exist, or the node has not seen its block yet, or
         * someone guessed its address in advance. Remembered only briefly (it may exist a moment later).
         */
        NO_CONTRACT,
        /** A contract that is not an Intermediary. */
        UNKNOWN_CHANNEL,
        /** Not created by a factory this gateway trusts. */
        UNKNOWN_FACTORY,
        /** Its proxy points at an implementation whose code hash this gateway does not know. */
        UNKNOWN_IMPLEMENTATION
    }
}
