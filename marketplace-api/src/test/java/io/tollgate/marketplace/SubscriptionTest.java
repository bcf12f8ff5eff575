package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * An accepted negotiation becomes a live channel on a real chain: the marketplace prepares the factory call,
 * the consumer's wallet sends it, and the marketplace verifies the channel against the offer.
 */
class SubscriptionTest extends MarketplaceTestBase {
    static final AnvilNode chain = AnvilNode.start();
    static final ChannelClient.Deployment deployment = ChannelClient.deploy(chain.web3j(), chain.transactionManager(0));
    /** anvil's public test accounts: 8 is the consumer's wallet (owner), 9 its signer. */
    static final Credentials CONSUMER = NegotiationTest.CONSUMER;

    static final Credentials SIGNER = chain.account(9);

    @DynamicPropertySource
    static void chain(DynamicPropertyRegistry registry) {
        registry.add("tollgate.chain.rpc-url", chain::rpcUrl);
        registry.add("tollgate.chain.factory", deployment::factory);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    long acceptedNegotiation(String consumer) throws Exception {
        var request = send(
                "POST",
                "/api/listings/quotes/negotiations",
                "{\"depositWei\":\"1000000000000000\",\"expectedRequests\":10}",
                consumer);
        long id = ((Number) JsonPath.read(request.body(), "$.id")).longValue();
        send(
                "POST",
                "/api/negotiations/" + id + "/counter",
                "{\"pricesWei\":[\"450000000000\",\"3900000000000\",\"19000000000000\"]}",
                signInAs(ListingOwnershipTest.QUOTIENT));
        assertThat(JsonPath.<String>read(
                        send("POST", "/api/negotiations/" + id + "/accept", "", consumer)
                                .body(),
                        "$.state"))
                .isEqualTo("ACCEPTED");
        return id;
    }

    @Test
    void theWalletCreatesTheChannelThePreparedCallDescribesAndItIsVerified() throws Exception {
        String consumer = signInAs(CONSUMER);
        long negotiation = acceptedNegotiation(consumer);
        var prepared = send(
                "POST",
                "/api/negotiations/" + negotiation + "/subscription",
                "{\"signer\":\"" + SIGNER.getAddress() + "\",\"depositWei\":\"1000000000000000\"}",
                consumer);
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

        var activated = send(
                "POST",
                "/api/subscriptions/" + subscription + "/channel",
                "{\"channel\":\"" + channel + "\"}",
                consumer);
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
        var prepared = send(
                "POST",
                "/api/negotiations/" + negotiation + "/subscription",
                "{\"signer\":\"" + SIGNER.getAddress() + "\",\"depositWei\":\"0\"}",
                consumer);
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        var cheaper = ChannelClient.create(
                chain.web3j(),
                chain.transactionManager(1),
                deployment.factory(),
                new ChannelTerms(
                        CONSUMER.getAddress(),
                        SIGNER.getAddress(),
                        "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
                        "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
                        Optional.empty(),
                        PriceTable.of(1, 1, 1),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(900)),
                Wei.ZERO);
        var refused = send(
                "POST",
                "/api/subscriptions/" + subscription + "/channel",
                "{\"channel\":\"" + cheaper.address() + "\"}",
                consumer);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains("not the accepted");

        var notAChannel = send(
                "POST",
                "/api/subscriptions/" + subscription + "/channel",
                "{\"channel\":\"" + chain.account(7).getAddress() + "\"}",
                consumer);
        assertThat(notAChannel.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(notAChannel.body(), "$.detail")).contains("not created by the factory");

        var stranger = send(
                "POST",
                "/api/subscriptions/" + subscription + "/channel",
                "{\"channel\":\"" + cheaper.address() + "\"}",
                signInAs(ListingOwnershipTest.NEWCOMER));
        assertThat(stranger.statusCode()).isEqualTo(404);
    }
}
