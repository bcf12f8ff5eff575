package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.PaymentRefusedException;
import io.tollgate.client.TollgateClient;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.GatewayArguments;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole paid path on a real EVM: a channel created through the factory on anvil, paid requests from the
 * client library through the running gateway (which reads the channel from the chain), the gateway's own
 * scheduler redeeming with the operator key once the exposure passes half the deposit, then a withdrawal:
 * the payout's balance grows by exactly the value of the requests served.
 */
class PaidTrafficOnChainTest extends OnChainGatewayTestBase {
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final Wei DEPOSIT = Wei.parse("20000000000000"); // 8 requests of category 1

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        startGateway(onChainGateway(
                chain,
                deployment,
                upstream.baseUrl(),
                "weather",
                payout(),
                "/paid",
                1,
                "prices=" + PRICES.decimals().get(0) + "," + PRICES.decimals().get(1)));
    }

    /**
     * The arguments of a gateway on {@code chain} that trusts {@code deployment}'s factory and implementation,
     * redeems with the operator key of anvil account 4 (ticks of 200 ms, state refreshed after 2 s), records usage
     * in the test database and sells listing {@code listing} of {@code upstreamUrl} (paying {@code payout}, operator account 4, T_r from
     * 1 s) on {@code <prefix>/**} in {@code category}, with {@code listingSettings} ({@code prices=…}, {@code
     * token=…}) under {@code tollgate.gateway.listings.<listing>.}.
     */
    static String[] onChainGateway(
            AnvilNode chain,
            Deployments.Deployment deployment,
            String upstreamUrl,
            String listing,
            String payout,
            String prefix,
            int category,
            String... listingSettings) {
        String listingPrefix = "--tollgate.gateway.listings." + listing + ".";
        var arguments = new java.util.ArrayList<>(List.of(GatewayArguments.of(
                "--server.port=0",
                GatewayArguments.chain(chain, deployment),
                GatewayArguments.OPERATOR_KEY, // anvil account 4
                "--tollgate.chain.redemption-tolerance=2s",
                "--tollgate.chain.safety-margin=0s",
                GatewayArguments.usageDatabase(),
                "--tollgate.gateway.redemption.tick=200ms",
                listingPrefix + "provider=" + payout,
                listingPrefix + "factory=" + deployment.factory(),
                listingPrefix + "subscribe-url=http://marketplace.test/listings/" + listing,
                listingPrefix + "operator=" + chain.account(4).getAddress(),
                listingPrefix + "min-redeem-window=1s",
                GatewayArguments.paidRoute(
                        0, "paid-" + listing, upstreamUrl, prefix + "/**", listing + ", " + category),
                "--tollgate.gateway.ledger.key-prefix=tollgate-onchain-" + System.nanoTime())));
        for (String setting : listingSettings) {
            arguments.add("--tollgate.gateway.listings." + listing + "." + setting);
        }
        return arguments.toArray(String[]::new);
    }

    private ChannelClient createChannel() {
        var terms = OnChainFixtures.terms(chain, PRICES, Duration.ofSeconds(2), Duration.ofSeconds(40));
        return OnChainFixtures.channel(chain, deployment.factory(), terms, DEPOSIT);
    }

    private TollgateClient client(ChannelClient channel) {
        return TollgateClient.builder()
                .terms(new io.tollgate.client.ChannelTerms(channel.address(), AnvilNode.CHAIN_ID, 1, PRICES))
                .signer(chain.account(2).getEcKeyPair())
                .counters(new FileVoucherCounters(dir.resolve("counters-" + channel.address() + ".log")))
                .build();
    }

    private HttpRequest weather() {
        return HttpRequest.newBuilder(URI.create(gatewayUrl + "/paid/weather/berlin"))
                .build();
    }

    @Test
    void paidRequestsAreRedeemedOnChainAndPaidOutToTheWei() throws Exception {
        var channel = createChannel();
        var client = client(channel);
        BigInteger payoutBefore = chain.balance(payout());
        int served = 5; // 5 × 2.5e12 = 62.5 % of the deposit: past the 50 % share
        for (int i = 0; i < served; i++) {
            var response = client.send(weather(), 1);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("berlin");
        }
        Wei value = PRICES.cost(1, served);
        assertThat(client.remainingCredit()).contains(DEPOSIT.minus(value));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(channel.state().earnings()).isEqualTo(value));
        assertThat(channel.redeemedCounts(1)).containsExactly(0L, (long) served);
        assertThat(channel.state().unredeemed()).isEqualTo(DEPOSIT.minus(value));

        new ChannelClient(chain.web3j(), channel.address(), chain.transactionManager(5), BigInteger.TEN.pow(12))
                .withdraw();
        assertThat(chain.balance(payout())).isEqualTo(payoutBefore.add(value.value()));
    }

    @Test
    void aClosingChannelIsRefusedAndAnUnderfundedOneGetsAPaymentProblem() throws Exception {
        var channel = createChannel();
        var client = client(channel);
        for (int i = 0; i < 8; i++) { // exactly the deposit
            assertThat(client.send(weather(), 1).statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> client.send(weather(), 1))
                .isInstanceOfSatisfying(
                        io.tollgate.client.PaymentRequiredException.class,
                        e -> assertThat(e.problem().slug()).isEqualTo("payment-insufficient"));

        var other = createChannel();
        var otherClient = client(other);
        assertThat(otherClient.send(weather(), 1).statusCode()).isEqualTo(200);
        other.requestClose();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThatThrownBy(() -> otherClient.send(weather(), 1))
                        .isInstanceOfSatisfying(
                                io.tollgate.client.TollgateClientException.class,
                                e -> assertThat(e.getMessage()).containsIgnoringCase("clos")));
    }

    @Test
    void aChannelOfAnUntrustedFactoryIsRefused() throws Exception {
        var foreign = Deployments.deploy(chain.web3j(), chain.transactionManager(6));
        var terms = OnChainFixtures.terms(chain, PRICES, Duration.ofSeconds(2), Duration.ofSeconds(40));
        var channel = OnChainFixtures.channel(chain, foreign.factory(), terms, DEPOSIT);
        assertThatThrownBy(() -> client(channel).send(weather(), 1))
                .isInstanceOfSatisfying(PaymentRefusedException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(403);
                    assertThat(e.problem().slug()).startsWith("channel-");
                });
    }
}
