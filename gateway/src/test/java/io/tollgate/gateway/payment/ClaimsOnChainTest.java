package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.PaymentRequiredException;
import io.tollgate.client.TollgateClient;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.ChainClock;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.redemption.ClaimJournal;
import io.tollgate.gateway.redemption.OperatorScheduler;
import io.tollgate.gateway.redemption.RedemptionJournal;
import io.tollgate.gateway.redemption.RedemptionScheduler;
import io.tollgate.gateway.redemption.RedemptionScheduler.Outcome;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both releases through the real gateway on anvil, Redis and PostgreSQL: a factory with release 1 and a channel
 * on it, then release 2 registered and channels created on that; the gateway trusts both code hashes. The
 * scheduler (the operator's, stepped by the test) claims a release-2 channel in one step whenever there is
 * something to claim, paying to the wei Σ count × price of the best vouchers the gateway holds, and a second
 * claim only the difference; the exposure check bounds Σ best × price by {@code credit().total}, so the consumer
 * can spend its deposit exactly across claims and not a request more. A release-1 channel still redeems in two
 * phases; one upgraded to release 2 in the middle of a two-phase redemption is claimed in one step from then on;
 * and a signer rotated while an epoch expires takes effect in an epoch the scheduler starts.
 */
class ClaimsOnChainTest extends OnChainGatewayTestBase {
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final Wei DEPOSIT = Wei.parse("20000000000000"); // 8 requests of category 1
    static final Duration T_R = Duration.ofSeconds(10);
    static final Duration T_C = ChannelTimes.minimumCloseDelay(T_R);
    static final String PREFIX = "tollgate-claims-" + System.nanoTime();
    static final Pattern UNREDEEMED = Pattern.compile("\"unredeemedDeposit\"\\s*:\\s*\"(\\d+)\"");
    static final Pattern ACTIVE_EPOCH = Pattern.compile("\"activeEpoch\"\\s*:\\s*(\\d+)");

    static String release2;
    static ChannelClient onRelease1;
    static ChannelClient toUpgrade;
    static RealRedis redis;
    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** One for the class: the chain's time moves on across tests. */
    static final ChainClock clock = new ChainClock();

    @BeforeAll
    static void start() {
        onRelease1 = create(); // before release 2 is registered: runs release 1
        toUpgrade = create();
        release2 = Deployments.deployRelease2(chain.web3j(), chain.transactionManager(0), deployment.factory());
        redis = RealRedis.connect();
        startGateway(GatewayArguments.of(
                "--server.port=0",
                GatewayArguments.chain(chain, deployment, release2),
                // chain state refreshed after 1 s: the request path sees each claim's balances soon
                "--tollgate.chain.redemption-tolerance=10s",
                "--tollgate.chain.safety-margin=2s",
                // no operator key: this gateway does not redeem, the test's scheduler does
                GatewayArguments.usageDatabase(),
                GatewayArguments.weatherListing(
                        payout(), deployment.factory(), chain.account(4).getAddress(), PRICES),
                GatewayArguments.paidRoute(0, "paid-weather", upstream.baseUrl(), "/paid/**", "weather, 1"),
                GatewayArguments.paidRoute(1, "cheap-weather", upstream.baseUrl(), "/cheap/**", "weather, 0"),
                "--tollgate.gateway.ledger.key-prefix=" + PREFIX));
    }

    /** Before the base class closes the gateway, the chain and the upstream: the test's own Redis connection. */
    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    static ChannelClient create() {
        return OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(chain, TestVouchers.SIGNER.getAddress(), PRICES, T_R, T_C),
                DEPOSIT);
    }

    private static void advance(Duration by) {
        clock.advance(by);
        chain.increaseTime(by);
    }

    /** The operator's scheduler on the gateway's Redis and journal, exposure share 1 bps: any value is due. */
    private RedemptionScheduler scheduler() {
        return OperatorScheduler.on(chain, deployment, clock)
                .alsoTrusting(release2)
                .anyValueDue()
                .build(gateway.getBean(VoucherLedger.class), redis.template(), PREFIX);
    }

    private TollgateClient client(ChannelClient channel) {
        return TollgateClient.builder()
                .terms(new io.tollgate.client.ChannelTerms(channel.address(), AnvilNode.CHAIN_ID, 1, PRICES))
                .signer(TestVouchers.SIGNER.getEcKeyPair())
                .counters(new FileVoucherCounters(dir.resolve(channel.address() + ".log")))
                .build();
    }

    private static int call(TollgateClient client, int category) throws Exception {
        var request = HttpRequest.newBuilder(
                        URI.create(gatewayUrl + (category == 1 ? "/paid" : "/cheap") + "/weather/berlin"))
                .build();
        return client.send(request, category).statusCode();
    }

    /** Σ count × price of vouchers (the best ones the gateway holds). */
    private static Wei worth(List<PaidVoucher> vouchers) {
        return vouchers.stream()
                .map(v -> PRICES.cost(v.voucher().category(), v.voucher().count()))
                .reduce(Wei.ZERO, Wei::plus);
    }

    /**
     * The unredeemed deposit the gateway's request path currently works with, from the members of a refusal it
     * answers without spending anything (409 to a voucher for an epoch that does not exist).
     */
    private static Wei gatewaySeesUnredeemed(String channel) throws Exception {
        return Wei.parse(gatewaySees(channel, UNREDEEMED));
    }

    private static String gatewaySees(String channel, Pattern member) throws Exception {
        String body = TestVouchers.epochUnknownBody(
                http, gatewayUrl + "/paid/weather/berlin", AnvilNode.CHAIN_ID, channel, 1, PRICES.hash());
        var matcher = member.matcher(body);
        assertThat(matcher.find()).as(body).isTrue();
        return matcher.group(1);
    }

    @Test
    void release2ChannelIsClaimedInStepsAndItsCreditStillBoundsTheExposure() throws Exception {
        var channel = create();
        assertThat(channel.release()).isEqualTo(2);
        String address = channel.address().toLowerCase(Locale.ROOT);
        var client = client(channel);
        var scheduler = scheduler();
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.NOTHING_DUE);

        // 2 × 2.5e12 + 2 × 1e12 = 7e12
        for (int category : new int[] {1, 1, 0, 0}) {
            assertThat(call(client, category)).isEqualTo(200);
        }
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.CLAIMED);
        Wei first = worth(scheduler.bestVouchers(address, 1).block());
        assertThat(first).isEqualTo(Wei.parse("7000000000000"));
        assertThat(channel.state().earnings())
                .as("the provider earned Σ count × price of the vouchers the gateway holds")
                .isEqualTo(first);
        assertThat(scheduler.step(address).block())
                .as("nothing above the claimed counts")
                .isEqualTo(Outcome.NOTHING_DUE);

        // the request path works with the channel's balances after the claim (unredeemed 13e12)
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> gatewaySeesUnredeemed(address).equals(DEPOSIT.minus(first)));
        assertThat(call(client, 1)).isEqualTo(200);
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.CLAIMED);
        Wei second = worth(scheduler.bestVouchers(address, 1).block());
        assertThat(second.minus(first)).isEqualTo(PRICES.price(1));
        assertThat(channel.state().earnings())
                .as("the second claim paid only the difference")
                .isEqualTo(second);
        assertThat(channel.redeemedCounts(1)).containsExactly(2L, 3L);

        // 9.5e12 spent, 10.5e12 left: spend it exactly. Compared with the unredeemed deposit (10.5e12 now) the
        // exposure (Σ best × price = 9.5e12 already) would refuse the second of these
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> gatewaySeesUnredeemed(address).equals(DEPOSIT.minus(second)));
        for (int category : new int[] {1, 1, 1, 0, 0, 0}) {
            assertThat(call(client, category)).as("within the deposit").isEqualTo(200);
        }
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.CLAIMED);
        assertThat(channel.state().earnings()).isEqualTo(DEPOSIT);
        assertThat(channel.state().unredeemed()).isEqualTo(Wei.ZERO);
        assertThat(worth(scheduler.bestVouchers(address, 1).block())).isEqualTo(DEPOSIT);

        // the claim landed and the gateway sees it: one request more is one too many
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> gatewaySeesUnredeemed(address).isZero());
        assertThatThrownBy(() -> call(client, 0))
                .isInstanceOfSatisfying(
                        PaymentRequiredException.class,
                        e -> assertThat(e.problem().slug()).isEqualTo("payment-insufficient"));
        assertThat(channel.state().earnings()).isEqualTo(DEPOSIT);

        var journal = new ClaimJournal(TestDatabase.migrated());
        assertThat(journal.claimedTotal(address).block())
                .as("the journal logged what each claim paid")
                .isEqualTo(DEPOSIT);
        assertThat(journal.phases(address).block()).containsExactly("CLAIMED", "CLAIMED", "CLAIMED");
    }

    @Test
    void aClaimWhoseReceiptWasLostIsRecognisedFromTheChainAndNotSentAgain() throws Exception {
        var channel = create();
        String address = channel.address().toLowerCase(Locale.ROOT);
        var client = client(channel);
        assertThat(call(client, 1)).isEqualTo(200);
        assertThat(call(client, 0)).isEqualTo(200);
        var best = scheduler().bestVouchers(address, 1).block();
        // a claim the journal intended and the chain mined, but whose receipt never reached the journal
        var journal = new ClaimJournal(TestDatabase.migrated());
        journal.intend(address, 1, List.of(1L, 1L), "TIMER", clock.instant()).block();
        new ChannelClient(chain.web3j(), address, chain.transactionManager(4), BigInteger.TEN.pow(12))
                .claim(
                        1,
                        best.stream()
                                .map(v -> new io.tollgate.contracts.channel.SignedVoucher(
                                        v.voucher().category(),
                                        v.voucher().count(),
                                        v.voucher().count(),
                                        v.voucher().signature()))
                                .toList());
        Wei earned = channel.state().earnings();
        assertThat(earned).isEqualTo(worth(best));

        // a restarted scheduler: nothing is sent again, the intent is settled from the chain's counts
        var restarted = scheduler();
        assertThat(restarted.step(address).block()).isEqualTo(Outcome.NOTHING_DUE);
        assertThat(channel.state().earnings()).isEqualTo(earned);
        assertThat(call(client, 1)).isEqualTo(200);
        assertThat(restarted.step(address).block()).isEqualTo(Outcome.CLAIMED);
        assertThat(journal.phases(address).block()).containsExactly("ON_CHAIN", "CLAIMED");
        assertThat(channel.state().earnings()).isEqualTo(earned.plus(PRICES.price(1)));
    }

    @Test
    void aSignerRotatedWhileAnEpochExpiresTakesEffectInAnEpochTheSchedulerStarts() {
        var channel = create();
        String address = channel.address().toLowerCase(Locale.ROOT);
        new ChannelClient(chain.web3j(), address, chain.transactionManager(4), BigInteger.TEN.pow(12))
                .startEpoch(PRICES);
        String newSigner = chain.account(8).getAddress();
        new ChannelClient(chain.web3j(), address, chain.transactionManager(1), BigInteger.TEN.pow(12))
                .rotateSigner(newSigner);
        assertThat(channel.state().pendingSigner()).isEqualToIgnoringCase(newSigner);
        assertThat(channel.state().activeEpoch()).isEqualTo(2);

        var scheduler = scheduler();
        assertThat(scheduler.step(address).block()).as("epoch 1 still expires").isEqualTo(Outcome.NOTHING_DUE);
        advance(T_R.plusSeconds(1));
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.EPOCH_STARTED);
        var state = channel.state();
        assertThat(state.activeEpoch()).isEqualTo(3);
        assertThat(state.signer()).isEqualToIgnoringCase(newSigner);
        assertThat(state.pendingSigner()).isEqualTo("0x0000000000000000000000000000000000000000");
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.NOTHING_DUE);
    }

    @Test
    void release1ChannelStillRedeemsInTwoPhases() throws Exception {
        assertThat(onRelease1.release()).isEqualTo(1);
        String address = onRelease1.address().toLowerCase(Locale.ROOT);
        var client = client(onRelease1);
        assertThat(call(client, 1)).isEqualTo(200);
        assertThat(call(client, 0)).isEqualTo(200);
        var scheduler = scheduler();
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.STARTED);
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.WAITING_FOR_TOLERANCE);
        advance(T_R.plusSeconds(1));
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.FINISHED);
        assertThat(onRelease1.state().earnings()).isEqualTo(PRICES.exposure(new long[] {1, 1}));
        assertThat(onRelease1.redeemedCounts(1)).containsExactly(1L, 1L);
    }

    @Test
    void aRelease1ChannelUpgradedInTheMiddleOfARedemptionIsClaimedOnRelease2() throws Exception {
        String address = toUpgrade.address().toLowerCase(Locale.ROOT);
        var client = client(toUpgrade);
        assertThat(call(client, 1)).isEqualTo(200);
        assertThat(call(client, 1)).isEqualTo(200);
        var scheduler = scheduler();
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.STARTED);

        // both parties consent (release 1's digest: implementation, nonce, deadline), a third party sends it
        var deadline = BigInteger.valueOf(4_000_000_000L);
        byte[] digest = toUpgrade.upgradeConsentDigest(release2, BigInteger.ZERO, deadline);
        new ChannelClient(chain.web3j(), address, chain.transactionManager(5), BigInteger.TEN.pow(12))
                .upgradeWithConsent(
                        release2,
                        new byte[0],
                        deadline,
                        io.tollgate.contracts.channel.VoucherSignatures.sign(
                                digest, chain.account(1).getEcKeyPair()),
                        io.tollgate.contracts.channel.VoucherSignatures.sign(
                                digest, chain.account(3).getEcKeyPair()));
        assertThat(ChannelClient.readOnly(chain.web3j(), address).release()).isEqualTo(2);

        advance(Duration.ofSeconds(
                6)); // within T_r; past the scheduler's close-notice read (T_c/10): it reads the chain
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.CLAIMED);
        assertThat(toUpgrade.state().earnings()).isEqualTo(PRICES.cost(1, 2));
        assertThat(new RedemptionJournal(TestDatabase.migrated()).open(address).block())
                .as("the two-phase redemption begun on release 1 is left to the claims")
                .isEmpty();

        // paid calls go on in the active epoch (2), and are claimed
        var inEpoch2 = TollgateClient.builder()
                .terms(new io.tollgate.client.ChannelTerms(toUpgrade.address(), AnvilNode.CHAIN_ID, 2, PRICES))
                .signer(TestVouchers.SIGNER.getEcKeyPair())
                .counters(new FileVoucherCounters(dir.resolve("epoch2.log")))
                .build();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> gatewaySees(address, ACTIVE_EPOCH).equals("2"));
        assertThat(call(inEpoch2, 0)).isEqualTo(200);
        assertThat(scheduler.step(address).block()).isEqualTo(Outcome.CLAIMED);
        assertThat(toUpgrade.state().earnings()).isEqualTo(PRICES.cost(1, 2).plus(PRICES.price(0)));
        assertThat(toUpgrade.redeemedCounts(2)).containsExactly(1L, 0L);
    }
}
