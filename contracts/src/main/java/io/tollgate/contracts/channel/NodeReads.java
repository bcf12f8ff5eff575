package io.tollgate.contracts.channel;

import java.io.IOException;
import java.io.UncheckedIOException;

/** One read of the node, with the failure split every reader of the channel package uses. */
final class NodeReads {
    private NodeReads() {}

    interface Read<T> {
        T get() throws Exception;
    }

    /** Node unreachable: {@link UncheckedIOException}; anything else (a revert, no contract there): {@link IllegalStateException}. */
    static <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (IOException e) {
            throw new UncheckedIOException("the node did not answer", e);
        } catch (Exception e) {
            throw new IllegalStateException("reading the channel failed: " + e.getMessage(), e);
        }
    }
}
