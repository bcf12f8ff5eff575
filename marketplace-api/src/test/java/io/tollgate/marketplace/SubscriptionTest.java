package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * An accepted negotiation becomes a live channel on a real chain: the marketplace prepares the factory call,
 * the consumer's wallet sends it, and the marketplace verifies the channel against the offer.
 */
class SubscriptionTest extends MarketplaceTestBase {
    static final AnvilNode chain = AnvilNode.start();
    /**
     * On a deployer nonce of its own: every test class starts a fresh anvil, and the same deployer nonce would give
     * the same factory and channel addresses as another class's, all registered in the one shared test database.
     */
    static final Deployments.Deployment deployment = deployOnAFreshNonce(chain);

    /** anvil's public test accounts: 8 is the consumer's wallet (owner), 9 its signer. */
    static final Credentials CONSUMER = NegotiationTest.CONSUMER;

    static final Credentials SIGNER = chain.account(9);

    @DynamicPropertySource
    static void chain(DynamicPropertyRegistry registry) {
        registry.add("tollgate.chain.rpc-url", chain::rpcUrl);
        registry.add("tollgate.chain.factories[0]", deployment::factory);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    @Test
    void theWalletCreatesTheChannelThePreparedCallDescribesAndItIsVerified() throws Exception {
        String consumer = signInAs(CONSUMER);
        long negotiation = acceptedNegotiation(consumer);
        var prepared = prepareSubscription(negotiation, SIGNER.getAddress(), "1000000000000000", consumer);
        assertThat(prepared.statusCode()).isEqualTo(201);
        assertThat(JsonPath.<String>read(prepared.body(), "$.to"))
                .isEqualTo(deployment.factory().toLowerCase());
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();

        // the consumer's wallet sends exactly what it was given
        var wallet = new org.web3j.tx.RawTransactionManager(
                chain.web3j(),
                CONSUMER,
                AnvilNode.CHAIN_ID,
                new PollingTransactionReceiptProcessor(chain.web3j(), 50, 200));
        chain.setBalance(CONSUMER.getAddress(), BigInteger.TEN.pow(20));
        var sent = wallet.sendTransaction(
                BigInteger.valueOf(2_000_000_000L),
                BigInteger.valueOf(3_000_000),
                JsonPath.read(prepared.body(), "$.to"),
                JsonPath.read(prepared.body(), "$.data"),
                new BigInteger(JsonPath.<String>read(prepared.body(), "$.valueWei")));
        TransactionReceipt receipt = new PollingTransactionReceiptProcessor(chain.web3j(), 50, 200)
                .waitForTransactionReceipt(sent.getTransactionHash());
        String channel = IntermediaryFactory.getChannelCreatedEvents(receipt).getFirst().channel;

        var activated = postChannel(subscription, channel, consumer);
        assertThat(activated.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(activated.body(), "$.state")).isEqualTo("ACTIVE");
        assertThat(JsonPath.<List<String>>read(
                        send("GET", "/api/subscriptions", "", consumer).body(), "$[*].channel"))
                .contains(channel.toLowerCase());
    }

    @Test
    void aChannelThatDoesNotHoldTheAcceptedPricesIsRefused() throws Exception {
        String consumer = signInAs(CONSUMER);
        long negotiation = acceptedNegotiation(consumer);
        var prepared = prepareSubscription(negotiation, SIGNER.getAddress(), "0", consumer);
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        var cheaper = attackersChannel(
                QUOTIENT_PAYOUT,
                Optional.empty(),
                PriceTable.of(1, 1, 1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(900));
        var refused = postChannel(subscription, cheaper.address(), consumer);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains("not the accepted");

        var notAChannel = postChannel(subscription, chain.account(7).getAddress(), consumer);
        assertThat(notAChannel.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(notAChannel.body(), "$.detail")).contains("not created by the factory");

        var stranger = postChannel(subscription, cheaper.address(), signInAs(ListingOwnershipTest.NEWCOMER));
        assertThat(stranger.statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- attacks: channels of the attacker's own terms

    /** Quotient (the quotes listing's provider) redeems with its payout address. */
    static final String QUOTIENT_PAYOUT = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";

    static final PriceTable ACCEPTED = PriceTable.of(450_000_000_000L, 3_900_000_000_000L, 19_000_000_000_000L);

    /** A channel the attacker creates through the factory from a key of their own, naming the consumer as owner. */
    ChannelClient attackersChannel(
            String operator, Optional<String> token, PriceTable prices, Duration tolerance, Duration closeDelay) {
        return FactoryClient.create(
                chain.web3j(),
                chain.transactionManager(1),
                deployment.factory(),
                new ChannelTerms(
                        CONSUMER.getAddress(),
                        SIGNER.getAddress(),
                        QUOTIENT_PAYOUT,
                        operator,
                        token,
                        prices,
                        tolerance,
                        closeDelay),
                Wei.ZERO);
    }

    HttpResponse<String> register(long negotiation, String channel, String token) throws Exception {
        return send(
                "POST", "/api/negotiations/" + negotiation + "/channel", "{\"channel\":\"" + channel + "\"}", token);
    }

    HttpResponse<String> agreed(String channel) throws Exception {
        return get("/api/gateway/channels/" + channel, GATEWAY_CREDENTIAL);
    }

    @Test
    void aChannelWithTermsOfTheAttackersChoosingIsNeitherRegisteredNorFedToGateways() throws Exception {
        String consumer = signInAs(CONSUMER);
        Duration tr = Duration.ofSeconds(60);
        Duration tc = Duration.ofSeconds(900);
        var ownToken = DemoToken.deploy(chain.web3j(), chain.transactionManager(1), new DefaultGasProvider())
                .send()
                .getContractAddress();
        Map<String, ChannelClient> attacks = new LinkedHashMap<>();
        attacks.put(
                "operator is " + chain.account(5).getAddress().toLowerCase(),
                attackersChannel(chain.account(5).getAddress(), Optional.empty(), ACCEPTED, tr, tc));
        attacks.put(
                "T_r is 1 s, not the agreed 60 s",
                attackersChannel(
                        QUOTIENT_PAYOUT, Optional.empty(), ACCEPTED, Duration.ofSeconds(1), Duration.ofSeconds(3)));
        attacks.put(
                "T_c is 150 s, not the agreed 900 s",
                attackersChannel(QUOTIENT_PAYOUT, Optional.empty(), ACCEPTED, tr, Duration.ofSeconds(150)));
        attacks.put(
                "token is " + ownToken.toLowerCase(),
                attackersChannel(QUOTIENT_PAYOUT, Optional.of(ownToken), ACCEPTED, tr, tc));
        attacks.put(
                "are not the accepted",
                attackersChannel(
                        QUOTIENT_PAYOUT,
                        Optional.empty(),
                        PriceTable.of(450_000_000_000L, 3_900_000_000_000L, 18_999_999_999_999L),
                        tr,
                        tc));
        for (var attack : attacks.entrySet()) {
            String channel = attack.getValue().address();
            long negotiation = acceptedNegotiation(consumer);
            var refused = register(negotiation, channel, consumer);
            assertThat(refused.statusCode()).as(attack.getKey()).isEqualTo(409);
            assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains(attack.getKey());

            // prepared in the web UI, then swapped for the attacker's channel: the same verification
            var prepared = prepareSubscription(negotiation, SIGNER.getAddress(), "0", consumer);
            long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
            var swapped = postChannel(subscription, channel, consumer);
            assertThat(swapped.statusCode()).as(attack.getKey()).isEqualTo(409);
            assertThat(JsonPath.<String>read(swapped.body(), "$.detail")).contains(attack.getKey());

            var feed = agreed(channel);
            assertThat(feed.statusCode()).as(attack.getKey()).isEqualTo(404);
            assertThat(JsonPath.<String>read(feed.body(), "$.type")).endsWith("/channel-not-subscribed");
        }
    }

    @Test
    void aChannelMadeOutsideTheWebUiIsRegisteredByItsConsumerAndFedToGatewaysWithItsAgreedTerms() throws Exception {
        String consumer = signInAs(CONSUMER);
        long negotiation = acceptedNegotiation(consumer);
        var channel = attackersChannel(
                QUOTIENT_PAYOUT, Optional.empty(), ACCEPTED, Duration.ofSeconds(60), Duration.ofSeconds(900));
        String address = channel.address().toLowerCase();
        assertThat(agreed(address).statusCode()).as("never registered").isEqualTo(404);

        assertThat(register(negotiation, address, signInAs(ListingOwnershipTest.NEWCOMER))
                        .statusCode())
                .as("someone else's negotiation")
                .isEqualTo(404);
        var registered = register(negotiation, address, consumer);
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(registered.body(), "$.state")).isEqualTo("ACTIVE");

        var feed = agreed(address.toUpperCase().replace("0X", "0x"));
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(feed.body(), "$.channel")).isEqualTo(address);
        assertThat(JsonPath.<String>read(feed.body(), "$.listing")).isEqualTo("quotes");
        assertThat(JsonPath.<String>read(feed.body(), "$.consumer"))
                .isEqualTo(CONSUMER.getAddress().toLowerCase());
        assertThat(JsonPath.<String>read(feed.body(), "$.payout")).isEqualTo(QUOTIENT_PAYOUT);
        assertThat(JsonPath.<String>read(feed.body(), "$.operator")).isEqualTo(QUOTIENT_PAYOUT);
        assertThat(JsonPath.<String>read(feed.body(), "$.token"))
                .isEqualTo("0x0000000000000000000000000000000000000000");
        assertThat(JsonPath.<List<String>>read(feed.body(), "$.floors")).isEqualTo(ACCEPTED.decimals());
        assertThat(JsonPath.<Integer>read(feed.body(), "$.redeemWindowSeconds")).isEqualTo(60);
        assertThat(JsonPath.<Integer>read(feed.body(), "$.closeDelaySeconds")).isEqualTo(900);
        assertThat(JsonPath.<String>read(feed.body(), "$.state")).isEqualTo("ACTIVE");

        // one channel pays for one subscription: not a second negotiation's too
        var twice = register(acceptedNegotiation(consumer), address, consumer);
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(twice.body(), "$.detail")).contains("another subscription");
    }

    @Test
    void theFeedsForGatewaysAndMonitorsNeedTheirOwnCredential() throws Exception {
        String consumer = signInAs(CONSUMER);
        for (String path : List.of("/api/gateway/routes", "/api/gateway/channels/" + SIGNER.getAddress())) {
            assertThat(get(path).statusCode()).as(path + " anonymous").isEqualTo(401);
            assertThat(get(path, "not-the-gateway-credential-0123456789abcdef").statusCode())
                    .as(path + " wrong credential")
                    .isEqualTo(401);
            assertThat(get(path, MONITOR_CREDENTIAL).statusCode())
                    .as(path + " the monitors' credential")
                    .isEqualTo(401);
            assertThat(get(path, consumer).statusCode())
                    .as(path + " a consumer")
                    .isEqualTo(403);
        }
        assertThat(get("/api/gateway/routes", GATEWAY_CREDENTIAL).statusCode()).isEqualTo(200);
        String monitoring = "/api/sla/monitoring?monitor=" + SIGNER.getAddress();
        assertThat(get(monitoring).statusCode()).isEqualTo(401);
        assertThat(get(monitoring, GATEWAY_CREDENTIAL).statusCode()).isEqualTo(401);
        assertThat(get(monitoring, MONITOR_CREDENTIAL).statusCode()).isEqualTo(200);
        // a credential is no user: it opens its feed and nothing else
        assertThat(get("/api/subscriptions", GATEWAY_CREDENTIAL).statusCode()).isEqualTo(401);
    }
}
