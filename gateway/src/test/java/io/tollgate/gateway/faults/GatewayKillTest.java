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
 * A gateway process is killed with SIGKILL while paid load runs through it, then started again on the same
 * port; its Redis runs with an append-only file fsynced on every write. Afterwards every count the provider's
 * API answered is covered by the best voucher stored in Redis (nothing served is lost), no count was answered
 * twice, and what the consumer paid without an answer is at most the requests in flight at each kill.
 *
 * <p>Scale with {@code -Dtollgate.faults.clients} (16), {@code -Dtollgate.faults.requests} (answers per phase,
 * 1500) and {@code -Dtollgate.faults.kills} (1).
 */
class GatewayKillTest {

    @TempDir
    Path dir;

    @Test
    void aGatewayKilledUnderLoadLosesNoAnsweredVoucherAndAcceptsNoCountTwice() {
        var scale = KillScale.fromProperties();
        try (var redis = OwnRedisServer.start();
                var upstream = CountingUpstream.start()) {
            var arguments = scale.gatewayArguments(upstream.baseUrl(), redis.port());
            try (var gateway = GatewayProcess.start(arguments, dir)) {
                var outages = new ArrayList<Duration>();
                try (var load = LoadDriver.start(List.of(gateway.baseUrl()), scale.channels())) {
                    for (int kill = 0; kill < scale.kills(); kill++) {
                        scale.awaitPhase(upstream);
                        long killedAt = System.nanoTime();
                        gateway.kill();
                        load.awaitNextOk(); // answers of requests in flight at the kill have come by now
                        gateway.restart();
                        await().atMost(Duration.ofMinutes(2)).until(() -> load.firstOkAt() != 0);
                        outages.add(Duration.ofNanos(load.firstOkAt() - killedAt));
                    }
                    var verdict = scale.finish(
                            upstream,
                            load,
                            redis.port(),
                            "gateway-kill-9",
                            () -> "kills=" + scale.kills() + " attempts=" + load.attempts()
                                    + " attemptsWithoutAnswer=" + load.noAnswers() + " killToNextPaidAnswer="
                                    + outages);
                    assertThat(verdict.answered()).isGreaterThanOrEqualTo(scale.perPhase() * (scale.kills() + 1));
                    // a client has one request in flight at a time: at most one paid-unanswered count per kill
                    assertThat(verdict.paidUnanswered()).isLessThanOrEqualTo((long) scale.clients() * scale.kills());
                }
            }
        }
    }
}
