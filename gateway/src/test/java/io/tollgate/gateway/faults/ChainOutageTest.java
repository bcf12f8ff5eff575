package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.PaymentRefusedException;
import io.tollgate.client.PaymentRequiredException;
import io.tollgate.client.TollgateClient;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The gateway's connection to its chain node is cut (a black hole: connections hang, as in a network
 * partition) while a consumer's client library pays for requests on a real channel on anvil, and redemptions
 * run (T_r 2 s). While its cached chain state is fresh enough the gateway keeps serving; once it is older than
 * T_r minus the margin it fails closed (503, nothing served unpaid). After the connection is back, the owner
 * requests the close and the gateway redeems every epoch: the counts redeemed on chain cover every request the
 * provider's API answered (nothing lost), and the payout earned exactly their price.
 */
class ChainOutageTest {

    private static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    private static final Wei DEPOSIT = PRICES.price(1).times(5_000);

    @TempDir
    Path dir;

    @Test
    void aChainCutFailsClosedOnceStateIsTooOldAndEverythingAnsweredIsRedeemedAfterwards() throws Exception {
        String prefix = "tollgate-faults-" + System.nanoTime();
        try (var chain = AnvilNode.start();
                var proxy = ChaosProxy.to(URI.create(chain.rpcUrl()).getPort());
                var upstream = CountingUpstream.start()) {
            // fresh addresses each run: the shared test database and Redis remember channels of earlier runs
            var deployment = OnChainFixtures.freshDeployment(chain);
            String codeHash = ChannelCode.codeHash(chain.web3j(), deployment.implementation());
            String payout = chain.account(3).getAddress().toLowerCase(Locale.ROOT);
            var channel = OnChainFixtures.channel(
                    chain,
                    deployment.factory(),
                    OnChainFixtures.terms(chain, PRICES, Duration.ofSeconds(2), Duration.ofSeconds(40)),
                    DEPOSIT);
            TestDatabase.migrated();
            try (var gateway = new SpringApplicationBuilder(
                            GatewayApplication.class, io.tollgate.gateway.payment.PrivateNettyResources.class)
                    .run(GatewayArguments.of(
                            "--server.port=0",
                            GatewayArguments.chain(proxy.url(), deployment.factory(), codeHash),
                            GatewayArguments.OPERATOR_KEY, // anvil 4
                            "--tollgate.chain.redemption-tolerance=2s",
                            "--tollgate.chain.safety-margin=1s",
                            GatewayArguments.usageDatabase(),
                            "--tollgate.gateway.redemption.tick=200ms",
                            "--tollgate.gateway.redemption.exposure-share-bps=200", // every 100 requests
                            GatewayArguments.weatherListing(
                                    payout,
                                    deployment.factory(),
                                    chain.account(4).getAddress(),
                                    PRICES),
                            "--tollgate.gateway.listings.weather.min-redeem-window=1s",
                            GatewayArguments.paidRoute(0, "paid", upstream.baseUrl(), "/paid/**", "weather, 1"),
                            "--tollgate.gateway.ledger.key-prefix=" + prefix,
                            "--logging.level.root=WARN"))) {
                String gatewayUrl =
                        "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port");
                var client = TollgateClient.builder()
                        .terms(new io.tollgate.client.ChannelTerms(channel.address(), AnvilNode.CHAIN_ID, 1, PRICES))
                        .signer(chain.account(2).getEcKeyPair())
                        .counters(new FileVoucherCounters(dir.resolve("counters.log")))
                        .build();
                var consumer = new Consumer(client, gatewayUrl + "/paid/answer");
                var thread = Thread.ofVirtual().start(consumer);
                try {
                    await().atMost(Duration.ofMinutes(2)).until(() -> upstream.total() >= 150);
                    await().atMost(Duration.ofMinutes(2))
                            .until(() -> channel.state().earnings().compareTo(Wei.ZERO) > 0);

                    long answeredAtCut = upstream.total();
                    proxy.blackhole();
                    await().atMost(Duration.ofMinutes(2)).until(() -> consumer.refused("payment-unavailable") >= 3);
                    long answeredDuringCut = upstream.total() - answeredAtCut;
                    proxy.restore();

                    long answeredAtRestore = upstream.total();
                    await().atMost(Duration.ofMinutes(2)).until(() -> upstream.total() >= answeredAtRestore + 150);
                    consumer.stop();
                    thread.join(Duration.ofMinutes(1));

                    // the owner asks to close: the gateway redeems the last epoch at once
                    new ChannelClient(
                                    chain.web3j(),
                                    channel.address(),
                                    chain.transactionManager(1),
                                    BigInteger.TEN.pow(12))
                            .requestClose();
                    Map<Long, Long> stored = bestCounts(prefix, channel.address());
                    long redeemed = Reconciliation.awaitRedeemed(channel, stored);
                    long answered = upstream.total();
                    Wei earnings = channel.state().earnings();
                    Reconciliation.FaultReport.write("FAULTS chain-blackhole: answered=" + answered
                            + " answeredWhileCut=" + answeredDuringCut + " refusedWhileCut(payment-unavailable)="
                            + consumer.refused("payment-unavailable") + " refusals=" + consumer.refusals
                            + " ioErrors=" + consumer.ioErrors + " epochsRedeemed=" + stored.size()
                            + " countsRedeemed=" + redeemed + " lost=" + Math.max(0, answered - redeemed)
                            + " paidUnanswered=" + (redeemed - answered) + " earningsWei=" + earnings);
                    assertThat(redeemed)
                            .as("counts redeemed cover every answer")
                            .isGreaterThanOrEqualTo(answered);
                    assertThat(earnings).isEqualTo(PRICES.price(1).times(redeemed));
                    assertThat(redeemed - answered)
                            .as("counts paid without an answer (refused counts are sent again)")
                            .isZero();
                    assertThat(consumer.ok.get())
                            .as("every answer reached the consumer")
                            .isEqualTo(answered);
                } finally {
                    consumer.stop();
                }
            }
        }
    }

    /** The best count of category 1 the ledger stored per epoch. */
    private static Map<Long, Long> bestCounts(String prefix, String channel) {
        return RedeemingGatewayKillTest.bestCounts(
                Integer.getInteger("tollgate.test.redis.port", 6379), prefix, channel);
    }

    /**
     * One consumer paying for requests one after the other with the client library, whatever the answer; it
     * backs off 50 ms when the gateway cannot be reached. The library signs a new count for every attempt, so
     * an attempt that fails costs the consumer a count once a later one is accepted.
     */
    static final class Consumer implements Runnable {
        final TollgateClient client;
        final String url;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong ok = new AtomicLong();
        final AtomicLong ioErrors = new AtomicLong();
        final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

        Consumer(TollgateClient client, String url) {
            this.client = client;
            this.url = url;
        }

        long refused(String slug) {
            return refusals.getOrDefault(slug, new AtomicLong()).get();
        }

        void stop() {
            running.set(false);
        }

        private void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    var response = client.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            1);
                    if (response.statusCode() == 200) {
                        ok.incrementAndGet();
                    }
                } catch (PaymentRefusedException e) {
                    refusals.computeIfAbsent(e.problem().slug(), s -> new AtomicLong())
                            .incrementAndGet();
                } catch (PaymentRequiredException e) {
                    refusals.computeIfAbsent(e.problem().slug(), s -> new AtomicLong())
                            .incrementAndGet();
                } catch (IOException e) {
                    ioErrors.incrementAndGet();
                    pause(); // the gateway is away: a client backs off a little
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    refusals.computeIfAbsent(e.getClass().getSimpleName(), s -> new AtomicLong())
                            .incrementAndGet();
                }
            }
        }
    }
}
