package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.gateway.OwnRedisServer;
import io.tollgate.pricing.Wei;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's Redis ({@code appendonly yes}, {@code appendfsync always}) is killed with SIGKILL while paid load
 * runs through a gateway process, and started again on its data directory. While it is away the gateway fails
 * closed ({@code 503}, nothing forwarded); afterwards it serves again without a restart of its own. Every count
 * the upstream answered is covered by the stored best voucher, no count was answered twice, and the consumer
 * paid for at most one unanswered request per client and kill.
 *
 * <p>Scale with {@code -Dtollgate.faults.clients} (16), {@code -Dtollgate.faults.requests} (1500) and
 * {@code -Dtollgate.faults.kills} (1).
 */
class RedisKillTest {

    @TempDir
    Path dir;

    @Test
    void aRedisKilledUnderLoadKeepsEveryAcceptedVoucherAndTheGatewayFailsClosedMeanwhile() {
        int clients = Integer.getInteger("tollgate.faults.clients", 16);
        long perPhase = Long.getLong("tollgate.faults.requests", 1500);
        int kills = Integer.getInteger("tollgate.faults.kills", 1);
        String prefix = "tollgate-faults-" + System.nanoTime();
        List<StaticChannel> channels = IntStream.range(0, clients)
                .mapToObj(i -> StaticChannel.fresh(Wei.of(1000), Wei.parse("1000000000000000000000")))
                .toList();
        try (var redis = OwnRedisServer.start();
                var upstream = CountingUpstream.start()) {
            var arguments = new ArrayList<>(StaticChannel.listingArguments(upstream.baseUrl()));
            channels.forEach(c -> arguments.addAll(c.arguments()));
            arguments.add("--spring.data.redis.port=" + redis.port());
            arguments.add("--tollgate.gateway.ledger.key-prefix=" + prefix);
            arguments.add("--logging.level.root=WARN");
            try (var gateway = GatewayProcess.start(arguments, dir);
                    var load = LoadDriver.start(List.of(gateway.baseUrl()), channels)) {
                var outages = new ArrayList<Duration>();
                long servedWhileDown = 0;
                for (int kill = 0; kill < kills; kill++) {
                    long target = upstream.total() + perPhase;
                    await().atMost(Duration.ofMinutes(5)).until(() -> upstream.total() >= target);
                    long killedAt = System.nanoTime();
                    redis.kill();
                    long unavailableBefore = load.unavailable();
                    // the gateway notices: it refuses (fails closed) instead of serving unpaid
                    await().atMost(Duration.ofMinutes(1)).until(() -> load.unavailable() > unavailableBefore);
                    // Redis stays away while the gateway refuses 50 more requests
                    long answeredAtFirst503 = upstream.total();
                    long refused = load.unavailable();
                    await().atMost(Duration.ofMinutes(1)).until(() -> load.unavailable() >= refused + 50);
                    servedWhileDown += upstream.total() - answeredAtFirst503;
                    load.awaitNextOk();
                    redis.restart();
                    await().atMost(Duration.ofMinutes(2)).until(() -> load.firstOkAt() != 0);
                    outages.add(Duration.ofNanos(load.firstOkAt() - killedAt));
                }
                long target = upstream.total() + perPhase;
                await().atMost(Duration.ofMinutes(5)).until(() -> upstream.total() >= target);
                load.close();
                var verdict = Reconciliation.of(upstream, load, redis.port(), prefix)
                        .report(
                                "redis-kill-9",
                                "kills=" + kills + " attempts=" + load.attempts() + " answered503="
                                        + load.unavailable() + " attemptsWithoutAnswer=" + load.noAnswers()
                                        + " killToNextPaidAnswer=" + outages
                                        + " upstreamAnswersWhileRedisWasDown=" + servedWhileDown);
                assertThat(verdict.problems()).isEmpty();
                assertThat(verdict.doubled()).as("counts answered twice").isZero();
                assertThat(verdict.lost())
                        .as("answered counts not covered by a stored voucher")
                        .isZero();
                assertThat(verdict.paidUnanswered()).isLessThanOrEqualTo((long) clients * kills);
            }
        }
    }
}
