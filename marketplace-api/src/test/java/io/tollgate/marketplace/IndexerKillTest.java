package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.pricing.Wei;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * A marketplace process indexing a backlog of blocks (one block per poll) is killed with SIGKILL, twice, and
 * started again on the same database. Afterwards the indexed events of the block range are exactly the logs
 * the node has for the factory and its channels: none missing, none twice, and the cursor at the head.
 */
class IndexerKillTest extends ChainTestBase {

    @TempDir
    Path dir;

    @Test
    void anIndexerKilledTwiceMidBacklogIndexesEveryEventExactlyOnce() throws Exception {
        long from = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact() + 1;
        var channels = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            var channel = openChannel(OWNER, 1, Wei.of(1_000 + i));
            channels.add(channel.address().toLowerCase());
            for (int d = 1; d <= 4; d++) {
                channel.depositEther(Wei.of(d));
            }
        }
        long head = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        long cursorBefore = cursor();
        assertThat(cursorBefore).as("the backlog is not indexed yet").isLessThan(from);

        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var kills = new ArrayList<Long>();
        for (int kill = 1; kill <= 2; kill++) {
            long target = from + (head - from) * kill / 3;
            var process = startMarketplace(port, kill);
            try {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> cursor() >= target || !process.isAlive());
                assertThat(process.isAlive())
                        .as("marketplace process running; see " + dir)
                        .isTrue();
            } finally {
                process.destroyForcibly(); // SIGKILL, mid-poll or between polls
                process.waitFor();
            }
            kills.add(cursor());
        }
        assertThat(kills.getLast()).as("killed before the backlog was done").isLessThan(head);

        var last = startMarketplace(port, 3);
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> cursor() >= head);
        } finally {
            last.destroy();
            last.waitFor();
        }

        Set<String> onChain = logsOnChain(from, head, channels);
        List<String> indexed = jdbc.queryForList(
                "select block_number || ':' || log_index from chain_event where block_number between ? and ?",
                String.class,
                from,
                head);
        System.out.println("FAULTS indexer-kill-9: blocks=" + (head - from + 1) + " logsOnChain=" + onChain.size()
                + " indexed=" + indexed.size() + " cursorAtKills=" + kills + " head=" + head);
        assertThat(indexed).as("indexed once each").doesNotHaveDuplicates();
        assertThat(new HashSet<>(indexed)).isEqualTo(onChain);
        long deposits = jdbc.queryForObject(
                "select count(*) from chain_event where name = 'Deposited' and channel in ("
                        + channels.stream().map(c -> "'" + c + "'").collect(Collectors.joining(",")) + ")",
                Long.class);
        assertThat(deposits).isEqualTo(channels.size() * 5L); // the creation's deposit and four more
    }

    private long cursor() {
        return jdbc.queryForList("select block_number from chain_cursor where name = 'main'", Long.class).stream()
                .findFirst()
                .orElse(-1L);
    }

    private Set<String> logsOnChain(long from, long to, List<String> channels) throws IOException {
        var addresses = new ArrayList<>(channels);
        addresses.add(deployment.factory().toLowerCase());
        var filter = new EthFilter(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                addresses);
        var logs = chain.web3j().ethGetLogs(filter).send().getLogs();
        var keys = new HashSet<String>();
        for (EthLog.LogResult<?> result : logs) {
            var log = (Log) result.get();
            keys.add(log.getBlockNumber() + ":" + log.getLogIndex());
        }
        return keys;
    }

    /** The marketplace as a process of its own (the module's runtime classpath), indexing one block per poll. */
    private Process startMarketplace(int port, int run) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String runtime = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.contains("surefire"))
                .collect(Collectors.joining(File.pathSeparator));
        var command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                runtime,
                "io.tollgate.marketplace.MarketplaceApplication",
                "--server.port=" + port,
                "--spring.datasource.url=" + SERVER + DATABASE,
                "--spring.datasource.username=postgres",
                "--tollgate.chain.rpc-url=" + chain.rpcUrl(),
                "--tollgate.chain.factories[0]=" + deployment.factory(),
                "--tollgate.indexer.enabled=true",
                "--tollgate.indexer.confirmations=0",
                "--tollgate.indexer.batch-blocks=1",
                "--tollgate.indexer.poll-interval=50ms",
                "--tollgate.identity.domain=marketplace.test",
                "--tollgate.identity.uri=https://marketplace.test/",
                "--logging.level.root=WARN");
        Files.createDirectories(dir);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("marketplace-" + run + ".log").toFile())
                .start();
    }
}
