package io.tollgate.contracts.channel;

import java.util.List;

/**
 * A channel or factory call the chain refused, with its custom error decoded, e.g.
 * {@code ToleranceNotOver(until=1700000060, now_=1700000000)}.
 */
public final class ChannelRevertedException extends RuntimeException {
    private final String error;
    private final List<Object> arguments;

    ChannelRevertedException(String call, String error, List<Object> arguments, String rendered) {
        super(call + " reverted: " + rendered);
        this.error = error;
        this.arguments = List.copyOf(arguments);
    }

    /** The custom error's name ({@code ToleranceNotOver}), or {@code Error}/{@code Panic}/{@code unknown}. */
    public String error() {
        return error;
    }

    public List<Object> arguments() {
        return arguments;
    }
}
