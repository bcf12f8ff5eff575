package io.tollgate.contracts.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * A real local chain for tests: starts {@code anvil} (from npm, see contracts/package.json) on a free port
 * and stops it on {@link #close()}. Chain id 31337; the ten default accounts are funded with 10 000 ether.
 *
 * <pre>{@code
 * try (var chain = AnvilNode.start()) {
 *     Web3j web3 = chain.web3j();
 *     Credentials deployer = chain.account(0);
 * }
 * }</pre>
 *
 * Its port comes from {@link #freePort()}. The binary comes from the system property {@code tollgate.anvil.bin} (set by the Maven build), else
 * {@code contracts/node_modules/.bin/anvil} under {@code tollgate.root} or the nearest parent folder holding
 * {@code contracts/}.
 */
public final class AnvilNode implements AutoCloseable {
    public static final long CHAIN_ID = 31337;

    /** anvil's well-known test keys (mnemonic "test test … junk"): public, never for real money. */
    private static final List<String> KEYS = List.of(
            "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
            "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
            "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
            "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
            "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
            "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
            "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
            "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6");

    private final Process process;
    private final String url;
    private final Web3j web3j;
    private final Thread shutdownHook;

    private AnvilNode(Process process, String url) {
        this.process = process;
        this.url = url;
        this.web3j = Web3j.build(new HttpService(url), 50, org.web3j.utils.Async.defaultExecutorService());
        this.shutdownHook = new Thread(
                () -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                },
                "anvil-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a fresh chain and waits until it answers JSON-RPC. */
    public static AnvilNode start() {
        return start(new String[0]);
    }

    /** As {@link #start()}, with more of anvil's options (e.g. {@code "--hardfork", "berlin"}: no base fee). */
    public static AnvilNode start(String... options) {
        int port = freePort();
        var command = new ArrayList<>(List.of(
                binary().toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--chain-id",
                Long.toString(CHAIN_ID),
                "--silent"));
        command.addAll(List.of(options));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start anvil: " + command, e);
        }
        var node = new AnvilNode(process, "http://127.0.0.1:" + port);
        node.awaitReady();
        return node;
    }

    public String rpcUrl() {
        return url;
    }

    public Web3j web3j() {
        return web3j;
    }

    /**
     * A transaction manager for default account {@code index} that polls receipts every 50 ms (anvil mines
     * at once; web3j's default waits a 15 s block time).
     */
    public TransactionManager transactionManager(int index) {
        return new RawTransactionManager(
                web3j, account(index), CHAIN_ID, new PollingTransactionReceiptProcessor(web3j, 50, 600));
    }

    /** Credentials of default account {@code index} (0..9). */
    public Credentials account(int index) {
        return Credentials.create(KEYS.get(index));
    }

    /** Moves the chain's clock forward and mines a block carrying the new time. */
    public void increaseTime(Duration by) {
        call("evm_increaseTime", List.of(by.toSeconds()));
        mine();
    }

    public void mine() {
        call("evm_mine", List.of());
    }

    public String snapshot() {
        return String.valueOf(call("evm_snapshot", List.of()));
    }

    public void revert(String snapshot) {
        call("evm_revert", List.of(snapshot));
    }

    /** Replaces the last {@code depth} blocks with empty ones (a chain re-organisation). */
    public void reorg(int depth) {
        call("anvil_reorg", List.of(depth, List.of()));
    }

    public void setBalance(String address, BigInteger wei) {
        call("anvil_setBalance", List.of(address, "0x" + wei.toString(16)));
    }

    public BigInteger balance(String address) {
        try {
            return web3j.ethGetBalance(address, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                    .send()
                    .getBalance();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a raw JSON-RPC call and returns its result; a JSON-RPC error throws. */
    public Object call(String method, List<?> params) {
        try {
            Response<?> response = new Request<>(method, params, new HttpService(url), RawResponse.class).send();
            if (response.hasError()) {
                throw new IllegalStateException(
                        method + ": " + response.getError().getMessage());
            }
            return response.getResult();
        } catch (IOException e) {
            throw new IllegalStateException(method + " failed", e);
        }
    }

    /** A JSON-RPC answer whose result is kept as whatever JSON it was. */
    public static final class RawResponse extends Response<Object> {}

    @Override
    public void close() {
        web3j.shutdown();
        // npm's launcher runs anvil as its child: stop the chain itself, then the launcher
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with " + process.exitValue());
            }
            try {
                web3j.ethChainId().send();
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
                try {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException("anvil did not answer on " + url + " within 30 s");
    }

    private static Path binary() {
        String configured = System.getProperty("tollgate.anvil.bin");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        String root = System.getProperty("tollgate.root");
        Path dir = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path at = dir; at != null; at = at.getParent()) {
            Path candidate = at.resolve("contracts/node_modules/.bin/anvil");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("anvil not found: run `npm install` in contracts/ (the Maven build does)");
    }

    /**
     * A port nothing listens on: from the range {@code -Dtollgate.test.ports=40000-49999} when given (so that tests
     * on a shared machine stay in their range), else any the system picks.
     */
    public static int freePort() {
        String range = System.getProperty("tollgate.test.ports", "");
        if (range.matches("\\d+-\\d+")) {
            int low = Integer.parseInt(range.substring(0, range.indexOf('-')));
            int high = Integer.parseInt(range.substring(range.indexOf('-') + 1));
            var random = java.util.concurrent.ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = random.nextInt(low, high + 1);
                try (var socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return socket.getLocalPort();
                } catch (IOException taken) {
                    // try another
                }
            }
            throw new IllegalStateException("no free port in " + range);
        }
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
