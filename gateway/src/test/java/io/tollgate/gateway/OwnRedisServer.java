package io.tollgate.gateway;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code redis-server} process of the test's own, with append-only persistence (fsync on every write) in a
 * data directory that survives {@link #kill()} and {@link #restart()}: for durability tests.
 */
public final class OwnRedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private OwnRedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static OwnRedisServer start() {
        try {
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var server = new OwnRedisServer(Files.createTempDirectory("tollgate-redis"), port);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Kills the process without letting it save anything beyond what the AOF already holds. */
    public void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    }

    public void restart() {
        launch();
    }

    private void launch() {
        try {
            process = new ProcessBuilder(List.of(
                            "redis-server",
                            "--bind",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(port),
                            "--dir",
                            dir.toString(),
                            "--appendonly",
                            "yes",
                            "--appendfsync",
                            "always",
                            "--save",
                            ""))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (var socket = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
