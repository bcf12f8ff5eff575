package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.gateway.OwnRedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        var scale = KillScale.fromProperties();
        try (var redis = OwnRedisServer.start();
                var upstream = CountingUpstream.start()) {
            var arguments = scale.gatewayArguments(upstream.baseUrl(), redis.port());
            try (var gateway = GatewayProcess.start(arguments, dir);
                    var load = LoadDriver.start(List.of(gateway.baseUrl()), scale.channels())) {
                var outages = new ArrayList<Duration>();
                long servedWhileDown = 0;
                for (int kill = 0; kill < scale.kills(); kill++) {
                    scale.awaitPhase(upstream);
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
                long servedWhileRedisWasDown = servedWhileDown;
                var verdict = scale.finish(
                        upstream,
                        load,
                        redis.port(),
                        "redis-kill-9",
                        () -> "kills=" + scale.kills() + " attempts=" + load.attempts() + " answered503="
                                + load.unavailable() + " attemptsWithoutAnswer=" + load.noAnswers()
                                + " killToNextPaidAnswer=" + outages
                                + " upstreamAnswersWhileRedisWasDown=" + servedWhileRedisWasDown);
                assertThat(verdict.paidUnanswered()).isLessThanOrEqualTo((long) scale.clients() * scale.kills());
            }
        }
    }
}
