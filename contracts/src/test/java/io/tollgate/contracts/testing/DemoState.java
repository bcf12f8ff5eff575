package io.tollgate.contracts.testing;

import io.tollgate.contracts.demo.DemoChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The demo chain's state file in tests: written by {@link DemoChain} and read back. */
public final class DemoState {
    private DemoState() {}

    /** Sets the demo up on {@code chain} (or finds it set up) with its state in {@code stateFile}; returns the state. */
    public static Properties setUp(AnvilNode chain, Path stateFile) throws IOException {
        DemoChain.main(new String[] {chain.rpcUrl(), stateFile.toString()});
        return load(stateFile);
    }

    /** The state file's properties. */
    public static Properties load(Path stateFile) throws IOException {
        var properties = new Properties();
        try (var in = Files.newInputStream(stateFile)) {
            properties.load(in);
        }
        return properties;
    }
}
