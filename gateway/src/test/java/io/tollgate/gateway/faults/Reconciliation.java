package io.tollgate.gateway.faults;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.gateway.ledger.LedgerKeys;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the provider's API answered compared with what the ledger in Redis holds afterwards, per channel and
 * summed: the scenario's verdict and its figures.
 *
 * <ul>
 *   <li>{@code doubled}: counts the upstream answered more than once (a count accepted twice). Must be 0.
 *   <li>{@code lost}: answered counts above the best voucher the ledger stored, i.e. served and not redeemable
 *       (the provider's loss). Must be 0.
 *   <li>{@code paidUnanswered}: counts the stored best voucher charges the consumer for that the upstream never
 *       answered (the consumer's loss: requests accepted but in flight when something died).
 * </ul>
 */
record Reconciliation(
        int channels,
        long answered,
        long clientSawOk,
        long doubled,
        long lost,
        long paidUnanswered,
        long storedCounts,
        List<String> problems) {

    /** Reads the ledger of each of the driver's channels from Redis at {@code redisPort}. */
    static Reconciliation of(CountingUpstream upstream, LoadDriver driver, int redisPort, String keyPrefix) {
        long answered = 0, clientOk = 0, doubled = 0, lost = 0, paidUnanswered = 0, stored = 0;
        var problems = new ArrayList<String>();
        var client = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
        try (var connection = client.connect()) {
            var redis = connection.sync();
            for (StaticChannel channel : driver.channels()) {
                var keys = LedgerKeys.of(keyPrefix, channel.address());
                Map<Long, Integer> upstreamCounts = upstream.answered(channel.address());
                long top = Long.parseLong(
                        java.util.Objects.requireNonNullElse(redis.hget(keys.window("1:0"), "top"), "0"));
                String best = redis.hget(keys.best(), "1:0");
                long bestCount = best == null
                        ? 0
                        : VoucherHeaderCodec.decode(best).voucher().count();
                Wei exposure = Wei.parse(java.util.Objects.requireNonNullElse(redis.hget(keys.exposure(), "1"), "0"));
                if (bestCount != top) {
                    problems.add(channel.address() + ": best voucher " + bestCount + " but top count " + top);
                }
                if (!exposure.equals(channel.price().times(top))) {
                    problems.add(channel.address() + ": exposure " + exposure + " is not " + top + " x price");
                }
                if (exposure.compareTo(channel.deposit()) > 0) {
                    problems.add(channel.address() + ": exposure " + exposure + " above deposit " + channel.deposit());
                }
                long channelDoubled =
                        upstreamCounts.values().stream().filter(t -> t > 1).count();
                long channelLost =
                        upstreamCounts.keySet().stream().filter(c -> c > top).count();
                answered += upstreamCounts.size();
                doubled += channelDoubled;
                lost += channelLost;
                stored += top;
                paidUnanswered += top
                        - upstreamCounts.keySet().stream().filter(c -> c <= top).count();
                clientOk += driver.outcomes(channel.address()).values().stream()
                        .filter(s -> s == 200)
                        .count();
            }
        } finally {
            client.shutdown();
        }
        return new Reconciliation(
                driver.channels().size(), answered, clientOk, doubled, lost, paidUnanswered, stored, problems);
    }

    /**
     * Prints the figures as one line ({@code FAULTS <scenario>: …}) and appends it to
     * {@code target/faults/results.txt}, which {@code docs/reliability.md} is filled from.
     */
    Reconciliation report(String scenario, String extra) {
        String line = "FAULTS " + scenario + ": channels=" + channels + " answered=" + answered + " clientSawOk="
                + clientSawOk + " storedCounts=" + storedCounts + " lost=" + lost + " doubled=" + doubled
                + " paidUnanswered=" + paidUnanswered + (extra.isEmpty() ? "" : " " + extra)
                + (problems.isEmpty() ? "" : " problems=" + problems);
        FaultReport.write(line);
        return this;
    }

    /** Scenario figures: printed, and appended to {@code target/faults/results.txt}. */
    static final class FaultReport {
        private FaultReport() {}

        static void write(String line) {
            System.out.println(line);
            try {
                Path file = Path.of("target", "faults", "results.txt");
                Files.createDirectories(file.getParent());
                Files.writeString(
                        file,
                        Instant.now() + " " + line + System.lineSeparator(),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Waits (3 minutes at most) until {@code channel} redeemed, epoch by epoch, the category-1 counts of {@code
     * stored} (the ledger's best counts) and answers their sum: what the gateway was paid for.
     */
    static long awaitRedeemed(ChannelClient channel, Map<Long, Long> stored) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> stored.entrySet().stream()
                        .allMatch(e -> channel.redeemedCounts(e.getKey()).get(1).longValue() == e.getValue()));
        return stored.values().stream().mapToLong(Long::longValue).sum();
    }
}
