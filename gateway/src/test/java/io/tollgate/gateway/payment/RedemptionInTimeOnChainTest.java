package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.TollgateClient;
import io.tollgate.client.TollgateClientException;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.contracts.channel.ChannelTimes;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The close race as an attacker plays it, on anvil with the real gateway, Redis and PostgreSQL: a channel with
 * T_r = 10 s and the smallest T_c the rule accepts (2·T_r + 30 s = 50 s), the gateway configured with the
 * default T_r of 60 s and the default 5 s tick. The consumer pays, waits until the gateway's scheduler has just
 * started a redemption (the worst moment: the next one can only start T_r later), requests the close, keeps
 * paying until refused, and closes as soon as the contract lets it. The provider must have earned every
 * request the gateway accepted.
 */
class RedemptionInTimeOnChainTest extends OnChainGatewayTestBase {
    static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);
    static final Wei DEPOSIT = Wei.parse("20000000000000"); // 8 requests of category 1
    static final Duration T_R = Duration.ofSeconds(10);
    static final Duration T_C = ChannelTimes.minimumCloseDelay(T_R);

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        startGateway(GatewayArguments.of(
                "--server.port=0",
                GatewayArguments.chain(chain, deployment),
                GatewayArguments.OPERATOR_KEY, // anvil account 4
                // T_r, margin and tick left at their defaults (60 s, 10 s, 5 s): the channel's own T_r rules
                GatewayArguments.usageDatabase(),
                GatewayArguments.weatherListing(
                        payout(), deployment.factory(), chain.account(4).getAddress(), PRICES),
                GatewayArguments.paidRoute(0, "paid-weather", upstream.baseUrl(), "/paid/**", "weather, 1"),
                "--tollgate.gateway.ledger.key-prefix=tollgate-in-time-" + System.nanoTime()));
    }

    @Test
    void aCloseRequestedRightAfterARedemptionStartedStillLeavesTheProviderPaidInFull() throws Exception {
        var channel = OnChainFixtures.channel(
                chain, deployment.factory(), OnChainFixtures.terms(chain, PRICES, T_R, T_C), DEPOSIT);
        var client = TollgateClient.builder()
                .terms(new io.tollgate.client.ChannelTerms(channel.address(), AnvilNode.CHAIN_ID, 1, PRICES))
                .signer(chain.account(2).getEcKeyPair())
                .counters(new FileVoucherCounters(dir.resolve("counters.log")))
                .build();
        var weather = HttpRequest.newBuilder(URI.create(gatewayUrl + "/paid/weather/berlin"))
                .build();

        int accepted = 0;
        for (int i = 0; i < 4; i++) { // 4 × 2.5e12 = half the deposit: the scheduler starts redeeming epoch 1
            assertThat(client.send(weather, 1).statusCode()).isEqualTo(200);
            accepted++;
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> channel.state().expiringEpoch() == 1);
        // the attacker pays in the new epoch, then asks to close while epoch 1 is still expiring
        assertThat(client.send(weather, 1).statusCode()).isEqualTo(200);
        accepted++;
        var ownerSide = new ChannelClient(
                chain.web3j(), channel.address(), chain.transactionManager(1), BigInteger.TEN.pow(12));
        ownerSide.requestClose();
        while (true) { // and keeps paying for as long as the gateway serves
            try {
                if (client.send(weather, 1).statusCode() != 200) {
                    break;
                }
                accepted++;
            } catch (TollgateClientException refused) {
                break;
            }
        }
        // close() the moment the contract allows it
        await().atMost(T_C.plusSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreException(ChannelRevertedException.class)
                .until(() -> ownerSide.close() != null);

        Wei served = PRICES.cost(1, accepted);
        assertThat(channel.state().closed()).isTrue();
        assertThat(channel.state().earnings())
                .as("the provider earned all %d requests the gateway served", accepted)
                .isEqualTo(served);
    }
}
