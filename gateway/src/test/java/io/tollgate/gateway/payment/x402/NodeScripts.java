package io.tollgate.gateway.payment.x402;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node scripts in {@code src/test/x402-client} and the official x402 packages they use, pinned in its
 * {@code package-lock.json}.
 */
final class NodeScripts {
    static final Path CLIENT = clientFolder();

    private NodeScripts() {}

    /** Installs the pinned packages, once per lock (the web UI's idempotent npm install). */
    static void install() throws IOException, InterruptedException {
        run(
                List.of(
                        "bash",
                        CLIENT.resolve("../../../../web-ui/scripts/npm-install.sh")
                                .normalize()
                                .toString(),
                        "."),
                300);
    }

    private static Path clientFolder() {
        Path here = Path.of("src/test/x402-client");
        if (Files.isDirectory(here)) {
            return here.toAbsolutePath();
        }
        return Path.of(System.getProperty("tollgate.root", ".."), "gateway/src/test/x402-client")
                .toAbsolutePath();
    }

    /** Starts {@code command} in the client folder, its output going to {@code log}. */
    static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command)
                .directory(CLIENT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Runs {@code command} in the client folder; its standard output, or an error with everything it printed. */
    static String run(List<String> command, long seconds) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command)
                .directory(CLIENT.toFile())
                .redirectErrorStream(false)
                .start();
        var out = process.getInputStream();
        var err = process.getErrorStream();
        var stderr = new StringBuilder();
        var drain = Thread.ofVirtual().start(() -> {
            try {
                stderr.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process ended
            }
        });
        String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + seconds + " s");
        }
        drain.join();
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " failed (" + process.exitValue() + "): " + stdout + stderr);
        }
        return stdout;
    }
}
