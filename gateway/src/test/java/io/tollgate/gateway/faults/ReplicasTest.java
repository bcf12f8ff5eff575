package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.tollgate.gateway.ledger.LedgerKeys;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway processes share the machine's Redis. First two of them, then all three, get a hostile load:
 * every voucher of 8 channels is sent to every replica at once, many counts in flight (so they arrive out of
 * order), and each channel's deposit covers only 300 of the 400 counts sent. Each count the deposit covers must
 * be answered exactly once by exactly one replica, none above it, and the exposure Redis holds never exceeds
 * the deposit. Redemption by exactly one replica is {@link RedemptionLeaseTest}'s.
 */
class ReplicasTest {

    private static final int CHANNELS = 8;
    private static final long SENT = 400;
    private static final long COVERED = 300;
    private static final Wei PRICE = Wei.of(1000);

    @TempDir
    Path dir;

    @Test
    void twoAndThreeReplicasOnOneRedisAcceptEachCoveredCountOnceAndNeverExceedTheDeposit() {
        String prefix = "tollgate-faults-" + System.nanoTime();
        List<StaticChannel> pairChannels = channels();
        List<StaticChannel> trioChannels = channels();
        try (var upstream = CountingUpstream.start()) {
            var arguments = new ArrayList<>(StaticChannel.listingArguments(upstream.baseUrl()));
            pairChannels.forEach(c -> arguments.addAll(c.arguments()));
            trioChannels.forEach(c -> arguments.addAll(c.arguments()));
            arguments.add("--spring.data.redis.port=" + redisPort());
            arguments.add("--tollgate.gateway.ledger.key-prefix=" + prefix);
            arguments.add("--logging.level.root=WARN");
            var replicas = GatewayProcess.startAll(3, arguments, dir);
            try {
                storm(replicas.subList(0, 2), pairChannels, upstream, prefix);
                storm(replicas, trioChannels, upstream, prefix);
            } finally {
                replicas.forEach(GatewayProcess::close);
            }
        }
    }

    private static int redisPort() {
        return Integer.getInteger("tollgate.test.redis.port", 6379);
    }

    private static List<StaticChannel> channels() {
        return IntStream.range(0, CHANNELS)
                .mapToObj(i -> StaticChannel.fresh(PRICE, PRICE.times(COVERED)))
                .toList();
    }

    private static void storm(
            List<GatewayProcess> replicas, List<StaticChannel> channels, CountingUpstream upstream, String prefix) {
        var statuses = new ConcurrentHashMap<Integer, AtomicLong>();
        var inFlight = new Semaphore(48);
        long started = System.nanoTime();
        try (var http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // counts rising, channels interleaved, every copy to every replica: up to 48 requests in flight
            for (long count = 1; count <= SENT; count++) {
                for (var channel : channels) {
                    String voucher = channel.voucher(count);
                    for (var replica : replicas) {
                        inFlight.acquireUninterruptibly();
                        long n = count;
                        threads.submit(() -> {
                            try {
                                int status = http.send(
                                                HttpRequest.newBuilder(
                                                                URI.create(replica.baseUrl() + "/paid/answer?n=" + n))
                                                        .header("Payment-Voucher", voucher)
                                                        .timeout(Duration.ofSeconds(60))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode();
                                statuses.computeIfAbsent(status, s -> new AtomicLong())
                                        .incrementAndGet();
                            } catch (IOException e) {
                                statuses.computeIfAbsent(LoadDriver.NO_ANSWER, s -> new AtomicLong())
                                        .incrementAndGet();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                inFlight.release();
                            }
                        });
                    }
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long requests = SENT * channels.size() * replicas.size();

        long doubled = 0, outside = 0, missing = 0;
        var client = RedisClient.create(RedisURI.create("127.0.0.1", redisPort()));
        try (var connection = client.connect()) {
            for (var channel : channels) {
                Map<Long, Integer> answered = upstream.answered(channel.address());
                doubled += answered.values().stream().filter(t -> t > 1).count();
                outside += answered.keySet().stream().filter(c -> c > COVERED).count();
                missing += LongStream.rangeClosed(1, COVERED)
                        .filter(c -> !answered.containsKey(c))
                        .count();
                String exposure = connection
                        .sync()
                        .hget(LedgerKeys.of(prefix, channel.address()).exposure(), "1");
                assertThat(Wei.parse(exposure))
                        .as("exposure of " + channel.address())
                        .isEqualTo(channel.deposit());
            }
        } finally {
            client.shutdown();
        }
        Reconciliation.FaultReport.write("FAULTS replicas-" + replicas.size() + ": channels=" + channels.size()
                + " requests=" + requests + " in " + took.toMillis() + " ms, statuses=" + statuses
                + " doubled=" + doubled + " answeredAboveDeposit=" + outside + " coveredButUnanswered=" + missing
                + " exposure=deposit on every channel");
        assertThat(doubled).as("counts answered twice").isZero();
        assertThat(outside).as("counts answered beyond the deposit").isZero();
        assertThat(missing).as("covered counts never answered").isZero();
        long accepted = COVERED * channels.size();
        assertThat(statuses.get(200)).as("200s").hasValue(accepted);
        assertThat(statuses.get(409)).as("409 voucher-replayed").hasValue(accepted * (replicas.size() - 1));
        assertThat(statuses.get(402))
                .as("402 payment-insufficient")
                .hasValue((SENT - COVERED) * channels.size() * replicas.size());
    }
}
