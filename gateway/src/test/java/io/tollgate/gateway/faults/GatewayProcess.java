package io.tollgate.gateway.faults;

import static org.awaitility.Awaitility.await;

import io.tollgate.gateway.GatewayApplication;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The gateway as an operating-system process of its own (the module's classes and runtime classpath, no test
 * classes), so a scenario can {@link #kill()} it with SIGKILL and start it again on the same port. Its output
 * goes to a log file under the scenario's directory.
 */
final class GatewayProcess implements AutoCloseable {

    private final List<String> arguments;
    private final Path logs;
    private final int port;
    private Process process;
    private int starts;

    private GatewayProcess(List<String> arguments, Path logs, int port) {
        this.arguments = arguments;
        this.logs = logs;
        this.port = port;
    }

    /** Starts a gateway on a free port with these arguments and waits until it is healthy. */
    static GatewayProcess start(List<String> arguments, Path logs) {
        return startAll(1, arguments, logs).getFirst();
    }

    /** Starts {@code n} gateways (replicas) with the same arguments at once, and waits until all are healthy. */
    static List<GatewayProcess> startAll(int n, List<String> arguments, Path logs) {
        var gateways = new ArrayList<GatewayProcess>();
        for (int i = 0; i < n; i++) {
            var gateway = new GatewayProcess(List.copyOf(arguments), logs, freePort());
            gateway.spawn();
            gateways.add(gateway);
        }
        gateways.forEach(GatewayProcess::awaitHealthy);
        return List.copyOf(gateways);
    }

    static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful drain, nothing flushed that was not flushed already. */
    void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    /** Starts it again on the same port and waits until it is healthy. */
    void restart() {
        spawn();
        awaitHealthy();
    }

    private void spawn() {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                runtimeClasspath(),
                GatewayApplication.class.getName(),
                "--server.port=" + port,
                // the tests' upstreams run on this machine: loopback allowed explicitly, as the demo does
                "--tollgate.upstreams.allow-networks=127.0.0.0/8"));
        command.addAll(arguments);
        starts++;
        try {
            Files.createDirectories(logs);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve("gateway-" + port + "-" + starts + ".log")
                            .toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        var http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("gateway exited with " + process.exitValue() + "; see " + logs);
                    }
                    return http.send(
                                            HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }

    /** The test JVM's classpath without the test classes: what the gateway's jar would hold. */
    private static String runtimeClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.contains("surefire"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
