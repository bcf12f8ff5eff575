package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.TollgateClient;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.OwnRedisServer;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.ledger.LedgerKeys;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process that redeems (operator key, journal in PostgreSQL, T_r 2 s, a redemption every 100
 * requests) is killed with SIGKILL twice while a consumer's client library pays through it on anvil, so kills
 * land before, during and after two-phase redemptions; each time it is started again on the same Redis (AOF,
 * fsync always) and database. After the owner requests the close, every epoch is redeemed: the counts redeemed
 * on chain cover every request the provider's API answered, and the payout earned exactly their price.
 *
 * <p>Scale with {@code -Dtollgate.faults.kills} (2) and {@code -Dtollgate.faults.requests} (answers per
 * phase, 150).
 */
class RedeemingGatewayKillTest {

    private static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    private static final Wei DEPOSIT = PRICES.price(1).times(5_000);

    @TempDir
    Path dir;

    @Test
    void aRedeemingGatewayKilledUnderLoadStillRedeemsEverythingItServed() throws Exception {
        int kills = Integer.getInteger("tollgate.faults.kills", 2);
        long perPhase = Long.getLong("tollgate.faults.requests", 150);
        String prefix = "tollgate-faults-" + System.nanoTime();
        try (var chain = AnvilNode.start();
                var redis = OwnRedisServer.start();
                var upstream = CountingUpstream.start()) {
            var deployment = OnChainFixtures.freshDeployment(chain);
            String payout = chain.account(3).getAddress().toLowerCase(Locale.ROOT);
            var channel = OnChainFixtures.channel(
                    chain,
                    deployment.factory(),
                    OnChainFixtures.terms(chain, PRICES, Duration.ofSeconds(2), Duration.ofSeconds(40)),
                    DEPOSIT);
            TestDatabase.migrated();
            var arguments = new ArrayList<>(List.of(GatewayArguments.of(
                    GatewayArguments.chain(chain, deployment),
                    GatewayArguments.OPERATOR_KEY, // anvil 4
                    "--tollgate.chain.redemption-tolerance=2s",
                    "--tollgate.chain.safety-margin=1s",
                    GatewayArguments.usageDatabase(),
                    "--tollgate.gateway.redemption.tick=200ms",
                    "--tollgate.gateway.redemption.lease=3s",
                    "--tollgate.gateway.redemption.exposure-share-bps=200",
                    GatewayArguments.weatherListing(
                            payout, deployment.factory(), chain.account(4).getAddress(), PRICES),
                    "--tollgate.gateway.listings.weather.min-redeem-window=1s",
                    GatewayArguments.paidRoute(0, "paid", upstream.baseUrl(), "/paid/**", "weather, 1"),
                    "--spring.data.redis.port=" + redis.port(),
                    "--tollgate.gateway.ledger.key-prefix=" + prefix,
                    "--logging.level.root=WARN")));
            try (var gateway = GatewayProcess.start(arguments, dir)) {
                var counters = new FileVoucherCounters(dir.resolve("counters.log"));
                var client = TollgateClient.builder()
                        .terms(new io.tollgate.client.ChannelTerms(channel.address(), AnvilNode.CHAIN_ID, 1, PRICES))
                        .signer(chain.account(2).getEcKeyPair())
                        .counters(counters)
                        .build();
                var consumer = new ChainOutageTest.Consumer(client, gateway.baseUrl() + "/paid/answer");
                var thread = Thread.ofVirtual().start(consumer);
                try {
                    for (int kill = 0; kill < kills; kill++) {
                        long target = upstream.total() + perPhase;
                        await().atMost(Duration.ofMinutes(3)).until(() -> upstream.total() >= target);
                        gateway.kill();
                        gateway.restart();
                    }
                    long target = upstream.total() + perPhase;
                    await().atMost(Duration.ofMinutes(3)).until(() -> upstream.total() >= target);
                } finally {
                    consumer.stop();
                    thread.join(Duration.ofMinutes(1));
                }
                new ChannelClient(chain.web3j(), channel.address(), chain.transactionManager(1), BigInteger.TEN.pow(12))
                        .requestClose();
                Map<Long, Long> stored = bestCounts(redis.port(), prefix, channel.address());
                long redeemed = Reconciliation.awaitRedeemed(channel, stored);
                long answered = upstream.total();
                Wei earnings = channel.state().earnings();
                long signed = stored.keySet().stream()
                        .mapToLong(e -> counters.current(channel.address(), e, 1))
                        .sum();
                Reconciliation.FaultReport.write("FAULTS redeeming-gateway-kill-9: kills=" + kills + " answered="
                        + answered + " clientSawOk=" + consumer.ok + " refusals=" + consumer.refusals
                        + " ioErrors=" + consumer.ioErrors + " countsSigned=" + signed + " epochsRedeemed="
                        + stored.size() + " countsRedeemed="
                        + redeemed + " lost=" + Math.max(0, answered - redeemed) + " paidUnanswered="
                        + (redeemed - answered) + " earningsWei=" + earnings);
                assertThat(redeemed).as("counts redeemed cover every answer").isGreaterThanOrEqualTo(answered);
                // the client sends a count again when its request got no answer, so the consumer pays without
                // an answer only for a request the gateway recorded just before it was killed: one per kill
                assertThat(redeemed - answered)
                        .as("counts paid without an answer")
                        .isLessThanOrEqualTo(kills);
                assertThat(earnings).isEqualTo(PRICES.price(1).times(redeemed));
                assertThat(stored.size())
                        .as("redemptions happened between the kills")
                        .isGreaterThan(kills);
            }
        }
    }

    /** The best count of category 1 the ledger stored per epoch. */
    static Map<Long, Long> bestCounts(int redisPort, String prefix, String channel) {
        var client = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
        try (var connection = client.connect()) {
            var counts = new TreeMap<Long, Long>();
            connection
                    .sync()
                    .hgetall(LedgerKeys.of(prefix, channel.toLowerCase(Locale.ROOT))
                            .best())
                    .forEach((field, voucher) -> counts.put(
                            Long.parseLong(field.substring(0, field.indexOf(':'))),
                            VoucherHeaderCodec.decode(voucher).voucher().count()));
            return counts;
        } finally {
            client.shutdown();
        }
    }
}
