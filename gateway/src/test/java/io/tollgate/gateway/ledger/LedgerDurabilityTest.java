package io.tollgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.gateway.OwnRedisServer;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.ledger.LedgerOutcome.Accepted;
import io.tollgate.gateway.ledger.LedgerOutcome.Reason;
import io.tollgate.gateway.ledger.LedgerOutcome.Rejected;
import io.tollgate.pricing.Wei;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class LedgerDurabilityTest {

    private static final LedgerProperties PROPERTIES = new LedgerProperties(64, "tollgate");

    private static LedgerEntry entry(String channel, long count) {
        return new LedgerEntry(channel, 1, 0, count, Wei.of(10), Wei.of(10_000), 1, "voucher-" + count);
    }

    @Test
    void aKilledAndRestartedRedisKeepsTheLedger() {
        String channel = RealRedis.randomChannel();
        try (var server = OwnRedisServer.start()) {
            try (var redis = RealRedis.connect(server.port())) {
                var ledger = redis.ledger(PROPERTIES, Clock.systemUTC());
                for (long count = 1; count <= 5; count++) {
                    assertThat(ledger.record(entry(channel, count)).block()).isInstanceOf(Accepted.class);
                }
            }
            server.kill();
            server.restart();
            try (var redis = RealRedis.connect(server.port())) {
                var ledger = redis.ledger(PROPERTIES, Clock.systemUTC());
                await().atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(
                                        ledger.record(entry(channel, 3)).block())
                                .isEqualTo(new Rejected(Reason.REPLAYED)));
                assertThat(ledger.record(entry(channel, 6)).block())
                        .isEqualTo(new Accepted(6, Wei.of(60), Wei.of(9_940)));
                assertThat(redis.template()
                                .opsForHash()
                                .get(LedgerKeys.of("tollgate", channel).best(), "1:0")
                                .block())
                        .isEqualTo("voucher-6");
            }
        }
    }

    @Test
    void reloadsTheScriptWhenRedisForgotIt() {
        String channel = RealRedis.randomChannel();
        try (var server = OwnRedisServer.start();
                var redis = RealRedis.connect(server.port())) {
            var ledger = redis.ledger(PROPERTIES, Clock.systemUTC());
            assertThat(ledger.record(entry(channel, 1)).block()).isInstanceOf(Accepted.class);
            redis.template()
                    .execute(connection -> connection.scriptingCommands().scriptFlush())
                    .blockLast();
            assertThat(ledger.record(entry(channel, 2)).block()).isInstanceOf(Accepted.class);
            assertThat(ledger.record(entry(channel, 2)).block()).isEqualTo(new Rejected(Reason.REPLAYED));
            ledger.close();
        }
    }

    @Test
    void twoGatewayReplicasOnOneRedisNeverAcceptTheSameCountTwice() {
        String channel = RealRedis.randomChannel();
        try (var one = RealRedis.connect();
                var two = RealRedis.connect()) {
            var replicaOne = one.ledger(PROPERTIES, Clock.systemUTC());
            var replicaTwo = two.ledger(PROPERTIES, Clock.systemUTC());
            List<reactor.core.publisher.Mono<LedgerOutcome>> calls = new ArrayList<>();
            for (long count = 1; count <= 40; count++) {
                calls.add(replicaOne.record(entry(channel, count)));
                calls.add(replicaTwo.record(entry(channel, count)));
            }
            List<LedgerOutcome> outcomes =
                    Flux.fromIterable(calls).flatMap(m -> m, 32).collectList().block();
            assertThat(outcomes).filteredOn(Accepted.class::isInstance).hasSize(40);
            assertThat(outcomes)
                    .filteredOn(new Rejected(Reason.REPLAYED)::equals)
                    .hasSize(40);
        }
    }
}
