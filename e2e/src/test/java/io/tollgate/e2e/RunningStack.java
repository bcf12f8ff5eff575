package io.tollgate.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The whole Tollgate stack as users run it: {@code scripts/demo.sh} from the jars the build made (anvil with our
 * contracts, Redis with AOF, embedded PostgreSQL, example upstream, gateway, marketplace with the web UI, SLA
 * monitor), on ports of its own, stopped with SIGINT to its process group as Ctrl-C would. The ports are 28080,
 * 28081, 28090, 28545, 26380, 26432 and 28095; {@code -Dtollgate.e2e.port-base=N} moves them all to N+80, N+81,
 * N+90, N+545, N+380, N+432 and N+95 (so that two stacks can run on one machine).
 */
final class RunningStack implements AutoCloseable {
    static final Integer BASE = Integer.getInteger("tollgate.e2e.port-base");
    static final int GATEWAY = port(28080, 80);
    static final int UPSTREAM = port(28081, 81);
    static final int MARKETPLACE = port(28090, 90);
    static final int CHAIN = port(28545, 545);
    static final int REDIS = port(26380, 380);
    static final int POSTGRES = port(26432, 432);
    static final int MONITOR = port(28095, 95);

    private static int port(int fixed, int offset) {
        return BASE == null ? fixed : BASE + offset;
    }

    final Path root;
    final Path state;
    private final Process demo;

    private RunningStack(Path root, Path state, Process demo) {
        this.root = root;
        this.state = state;
        this.demo = demo;
    }

    static RunningStack start() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("tollgate.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path state = Files.createTempDirectory("tollgate-e2e");
        // setsid: the demo leads a process group of its own, which SIGINT then stops as a whole; env
        // --default-signal: a suite started with SIGINT ignored (nohup … &) would pass that on, and the demo's trap
        // could not be set (bash cannot trap a signal ignored on entry)
        var builder = new ProcessBuilder("setsid", "env", "--default-signal=INT", "bash", "scripts/demo.sh")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(state.resolve("demo.out").toFile());
        var env = builder.environment();
        env.put("TOLLGATE_SKIP_BUILD", "1");
        env.put("TOLLGATE_DEMO_DIR", state.toString());
        env.put("TOLLGATE_GATEWAY_PORT", Integer.toString(GATEWAY));
        env.put("TOLLGATE_UPSTREAM_PORT", Integer.toString(UPSTREAM));
        env.put("TOLLGATE_MARKETPLACE_PORT", Integer.toString(MARKETPLACE));
        env.put("TOLLGATE_CHAIN_PORT", Integer.toString(CHAIN));
        env.put("TOLLGATE_REDIS_PORT", Integer.toString(REDIS));
        env.put("TOLLGATE_POSTGRES_PORT", Integer.toString(POSTGRES));
        env.put("TOLLGATE_MONITOR_PORT", Integer.toString(MONITOR));
        var stack = new RunningStack(root, state, builder.start());
        stack.await("http://127.0.0.1:" + MARKETPLACE + "/api/config");
        stack.await("http://127.0.0.1:" + GATEWAY + "/actuator/health");
        stack.await("http://127.0.0.1:" + MONITOR + "/actuator/health");
        return stack;
    }

    String marketplace() {
        return "http://127.0.0.1:" + MARKETPLACE;
    }

    String gateway() {
        return "http://127.0.0.1:" + GATEWAY;
    }

    String upstream() {
        return "http://127.0.0.1:" + UPSTREAM;
    }

    String monitor() {
        return "http://127.0.0.1:" + MONITOR;
    }

    String chain() {
        return "http://127.0.0.1:" + CHAIN;
    }

    private void await(String url) throws IOException, InterruptedException {
        var http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            if (!demo.isAlive()) {
                throw new IllegalStateException(
                        "scripts/demo.sh exited: " + Files.readString(state.resolve("demo.out")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                url + " did not answer in 4 minutes; " + Files.readString(state.resolve("demo.out")));
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("kill", "-INT", "--", "-" + demo.pid())
                .inheritIO()
                .start()
                .waitFor();
        if (!demo.waitFor(120, TimeUnit.SECONDS)) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + demo.pid())
                    .inheritIO()
                    .start()
                    .waitFor();
            // each part runs in a session of its own (out of the script's group): end those the script left
            Path parts = state.resolve("run.pids");
            if (Files.exists(parts)) {
                for (String line : Files.readAllLines(parts)) {
                    new ProcessBuilder("kill", "-KILL", "--", "-" + line.split(" ")[1])
                            .inheritIO()
                            .start()
                            .waitFor();
                }
            }
        }
    }
}
