package io.tollgate.marketplace;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.executeJavaScript;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.WebDriverRunner;
import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.generated.DemoUsd;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.protocol.TokenAuthorizations;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Subscribing to and topping up a listing priced in an ERC-20, on a real chain: where the token takes EIP-2612
 * permits (the demo dollar), the wallet signs the permit typed data the marketplace returns (here with web3j's own
 * EIP-712 encoder, not the marketplace's) and sends the one transaction the marketplace answers the signature with;
 * for a plain ERC-20 it sends approve, then the factory's funding call. A permit the factory would not take is
 * refused before any transaction: expired, signed by another key, for another amount; someone else's subscription
 * or channel is not found.
 */
class TokenSubscriptionTest extends MarketplaceTestBase {
    static final AnvilNode chain = AnvilNode.start();
    static final Deployments.Deployment deployment = deployOnAFreshNonce(chain);
    static final Credentials CONSUMER = NegotiationTest.CONSUMER;
    static final Credentials SIGNER = chain.account(9);
    static final String DEMO_USD = TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(0));
    static final String PLAIN_TOKEN = deployPlainToken();
    /** 12.5 demo dollars, in its smallest unit (6 decimals). */
    static final BigInteger DEPOSIT = BigInteger.valueOf(12_500_000);

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void chain(DynamicPropertyRegistry registry) {
        registry.add("tollgate.chain.rpc-url", chain::rpcUrl);
        registry.add("tollgate.chain.factories[0]", deployment::factory);
        // the browser test's wallet: anvil's unlocked accounts, as in the demo
        registry.add("tollgate.web.dev-wallet", () -> "true");
        registry.add("tollgate.web.receipt-timeout", () -> "15s");
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    static String deployPlainToken() {
        try {
            return DemoToken.deploy(chain.web3j(), chain.transactionManager(0), new DefaultGasProvider())
                    .send()
                    .getContractAddress();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The quotes listing priced in {@code token} (as the listing editor stores it once it read the token). */
    void priceQuotesIn(String token, String symbol, int decimals) {
        jdbc.update(
                "update listing set token_address = ?, token_symbol = ?, token_decimals = ? where slug = 'quotes'",
                token.toLowerCase(),
                symbol,
                decimals);
    }

    @AfterEach
    void backToEther() {
        jdbc.update(
                "update listing set token_address = null, token_symbol = null, token_decimals = null where slug = 'quotes'");
    }

    /** The consumer holds {@code amount} more of the token (its open faucet) and ether for gas. */
    void fund(String token, BigInteger amount) throws Exception {
        chain.setBalance(CONSUMER.getAddress(), BigInteger.TEN.pow(20));
        DemoUsd.load(token, chain.web3j(), wallet(CONSUMER), new DefaultGasProvider())
                .faucet(amount)
                .send();
    }

    static RawTransactionManager wallet(Credentials who) {
        return new RawTransactionManager(
                chain.web3j(), who, AnvilNode.CHAIN_ID, new PollingTransactionReceiptProcessor(chain.web3j(), 50, 200));
    }

    HttpResponse<String> subscribe(long negotiation, BigInteger deposit, String consumer) throws Exception {
        var prepared = send(
                "POST",
                "/api/negotiations/" + negotiation + "/subscription",
                "{\"signer\":\"" + SIGNER.getAddress() + "\",\"depositWei\":\"" + deposit + "\"}",
                consumer);
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(201);
        return prepared;
    }

    String activate(long subscription, TransactionReceipt created, String consumer) throws Exception {
        String channel = IntermediaryFactory.getChannelCreatedEvents(created).getFirst().channel;
        var activated = postChannel(subscription, channel, consumer);
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(activated.body(), "$.state")).isEqualTo("ACTIVE");
        return channel.toLowerCase();
    }

    static BigInteger balance(String token, String holder) throws Exception {
        return DemoUsd.load(token, chain.web3j(), wallet(CONSUMER), new DefaultGasProvider())
                .balanceOf(holder)
                .send();
    }

    static BigInteger deposited(String channel) {
        return ChannelClient.readOnly(chain.web3j(), channel)
                .state()
                .totalDeposited()
                .value();
    }

    @Test
    void aPermitAndOneTransactionCreateAndFundTheChannelAndAnotherPermitTopsItUp() throws Exception {
        priceQuotesIn(DEMO_USD, TokenAuthorizations.DEMO_USD_SYMBOL, TokenAuthorizations.DEMO_USD_DECIMALS);
        String consumer = signInAs(CONSUMER);
        fund(DEMO_USD, BigInteger.valueOf(100_000_000));
        BigInteger before = balance(DEMO_USD, CONSUMER.getAddress());
        BigInteger nonce = TokenPermits.nonce(chain.web3j(), DEMO_USD, CONSUMER.getAddress());
        var prepared = subscribe(acceptedNegotiation(consumer), DEPOSIT, consumer);
        String body = prepared.body();
        long subscription = ((Number) JsonPath.read(body, "$.subscription")).longValue();
        assertThat(JsonPath.<String>read(body, "$.token.address")).isEqualTo(DEMO_USD.toLowerCase());
        assertThat(JsonPath.<String>read(body, "$.token.symbol")).isEqualTo("USDT-demo");
        assertThat(JsonPath.<Integer>read(body, "$.token.decimals")).isEqualTo(6);
        assertThat(JsonPath.<String>read(body, "$.deposit")).isEqualTo("12500000");
        assertThat(JsonPath.<List<String>>read(body, "$.steps[*].kind")).containsExactly("sign-permit");
        assertThat(JsonPath.<String>read(body, "$.steps[0].submit"))
                .isEqualTo("/api/subscriptions/" + subscription + "/permit");
        Map<String, Object> typedData = JsonPath.read(body, "$.steps[0].typedData");
        assertThat(JsonPath.<String>read(body, "$.steps[0].typedData.domain.name"))
                .isEqualTo(TokenAuthorizations.DEMO_USD_NAME);
        Map<String, Object> message = JsonPath.read(body, "$.steps[0].typedData.message");
        assertThat(message)
                .containsEntry("owner", CONSUMER.getAddress().toLowerCase())
                .containsEntry("spender", deployment.factory().toLowerCase())
                .containsEntry("value", "12500000")
                .containsEntry("nonce", nonce.toString());

        var transaction = send(
                "POST",
                "/api/subscriptions/" + subscription + "/permit",
                WalletSteps.permitBody(message, WalletSteps.signTypedData(typedData, CONSUMER)),
                consumer);
        assertThat(transaction.statusCode()).as(transaction.body()).isEqualTo(200);
        Map<String, Object> step = JsonPath.read(transaction.body(), "$");
        assertThat(step)
                .containsEntry("kind", "transaction")
                .containsEntry("purpose", "create-channel")
                .containsEntry("to", deployment.factory().toLowerCase())
                .containsEntry("value", "0");
        String channel = activate(subscription, WalletSteps.send(chain.web3j(), CONSUMER, step), consumer);
        assertThat(deposited(channel)).isEqualTo(DEPOSIT);
        assertThat(balance(DEMO_USD, channel)).isEqualTo(DEPOSIT);
        assertThat(balance(DEMO_USD, CONSUMER.getAddress())).isEqualTo(before.subtract(DEPOSIT));
        assertThat(balance(DEMO_USD, deployment.factory()))
                .as("nothing left at the factory")
                .isZero();

        // a top-up: the same, on the live channel
        BigInteger more = BigInteger.valueOf(2_000_001);
        var topUp = send("POST", "/api/channels/" + channel + "/deposit", "{\"amount\":\"" + more + "\"}", consumer);
        assertThat(topUp.statusCode()).as(topUp.body()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(topUp.body(), "$.steps[*].kind")).containsExactly("sign-permit");
        assertThat(JsonPath.<String>read(topUp.body(), "$.steps[0].typedData.message.nonce"))
                .isEqualTo(nonce.add(BigInteger.ONE).toString());
        Map<String, Object> topUpMessage = JsonPath.read(topUp.body(), "$.steps[0].typedData.message");
        String signed = WalletSteps.signTypedData(JsonPath.read(topUp.body(), "$.steps[0].typedData"), CONSUMER);
        var topUpTransaction = send(
                "POST",
                JsonPath.read(topUp.body(), "$.steps[0].submit"),
                "{\"amount\":\"" + more + "\",\"permit\":" + WalletSteps.permitBody(topUpMessage, signed) + "}",
                consumer);
        assertThat(topUpTransaction.statusCode()).as(topUpTransaction.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(topUpTransaction.body(), "$.purpose")).isEqualTo("deposit");
        WalletSteps.send(chain.web3j(), CONSUMER, JsonPath.read(topUpTransaction.body(), "$"));
        assertThat(deposited(channel)).isEqualTo(DEPOSIT.add(more));
        assertThat(balance(DEMO_USD, channel)).isEqualTo(DEPOSIT.add(more));

        // nobody else tops the consumer's channel up through the marketplace
        var stranger = send(
                "POST",
                "/api/channels/" + channel + "/deposit",
                "{\"amount\":\"1\"}",
                signInAs(ListingOwnershipTest.NEWCOMER));
        assertThat(stranger.statusCode()).isEqualTo(404);
        var strangerPermit = send(
                "POST",
                "/api/channels/" + channel + "/deposit/permit",
                "{\"amount\":\"" + more + "\",\"permit\":" + WalletSteps.permitBody(topUpMessage, signed) + "}",
                signInAs(ListingOwnershipTest.NEWCOMER));
        assertThat(strangerPermit.statusCode()).isEqualTo(404);
    }

    @Test
    void aPermitTheFactoryWouldNotTakeIsRefusedSayingWhy() throws Exception {
        priceQuotesIn(DEMO_USD, TokenAuthorizations.DEMO_USD_SYMBOL, TokenAuthorizations.DEMO_USD_DECIMALS);
        String consumer = signInAs(CONSUMER);
        var prepared = subscribe(acceptedNegotiation(consumer), DEPOSIT, consumer);
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        Map<String, Object> typedData = JsonPath.read(prepared.body(), "$.steps[0].typedData");
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) typedData.get("message");
        String path = "/api/subscriptions/" + subscription + "/permit";

        // signed by another key than the consumer's wallet
        var otherKey = send(
                "POST",
                path,
                WalletSteps.permitBody(message, WalletSteps.signTypedData(typedData, chain.account(7))),
                consumer);
        assertThat(otherKey.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(otherKey.body(), "$.type")).endsWith("/permit-refused");
        assertThat(JsonPath.<String>read(otherKey.body(), "$.detail"))
                .contains("signed by " + chain.account(7).getAddress().toLowerCase())
                .contains("not by your wallet " + CONSUMER.getAddress().toLowerCase());

        // past its deadline: signed properly, too late
        Map<String, Object> expired = new java.util.LinkedHashMap<>(message);
        expired.put("deadline", "1000");
        Map<String, Object> expiredData = new java.util.LinkedHashMap<>(typedData);
        expiredData.put("message", expired);
        var late = send(
                "POST",
                path,
                WalletSteps.permitBody(expired, WalletSteps.signTypedData(expiredData, CONSUMER)),
                consumer);
        assertThat(late.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(late.body(), "$.type")).endsWith("/permit-refused");
        assertThat(JsonPath.<String>read(late.body(), "$.detail")).contains("expired at 1970-01-01T00:16:40Z");

        // for another amount than the prepared deposit
        Map<String, Object> less = new java.util.LinkedHashMap<>(message);
        less.put("value", "12499999");
        Map<String, Object> lessData = new java.util.LinkedHashMap<>(typedData);
        lessData.put("message", less);
        var wrongAmount = send(
                "POST", path, WalletSteps.permitBody(less, WalletSteps.signTypedData(lessData, CONSUMER)), consumer);
        assertThat(wrongAmount.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(wrongAmount.body(), "$.detail"))
                .contains("the permit is for 12.499999 USDT-demo, not the 12.5 USDT-demo to be deposited");

        // someone else's subscription, with the consumer's good permit
        var good = WalletSteps.permitBody(message, WalletSteps.signTypedData(typedData, CONSUMER));
        var stranger = send("POST", path, good, signInAs(ListingOwnershipTest.NEWCOMER));
        assertThat(stranger.statusCode()).isEqualTo(404);

        // and the good one goes through
        assertThat(send("POST", path, good, consumer).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutPermitsIsApprovedThenFundedThroughTheFactory() throws Exception {
        priceQuotesIn(PLAIN_TOKEN, "TGD", 18);
        String consumer = signInAs(CONSUMER);
        BigInteger deposit = new BigInteger("3000000000000000001");
        fund(PLAIN_TOKEN, BigInteger.TEN.pow(19));
        var prepared = subscribe(acceptedNegotiation(consumer), deposit, consumer);
        String body = prepared.body();
        long subscription = ((Number) JsonPath.read(body, "$.subscription")).longValue();
        assertThat(JsonPath.<List<String>>read(body, "$.steps[*].kind")).containsExactly("transaction", "transaction");
        assertThat(JsonPath.<List<String>>read(body, "$.steps[*].purpose"))
                .containsExactly("approve", "create-channel");
        assertThat(JsonPath.<String>read(body, "$.steps[0].to")).isEqualTo(PLAIN_TOKEN.toLowerCase());
        assertThat(JsonPath.<String>read(body, "$.steps[1].to"))
                .isEqualTo(deployment.factory().toLowerCase());
        WalletSteps.send(chain.web3j(), CONSUMER, JsonPath.read(body, "$.steps[0]"));
        String channel = activate(
                subscription, WalletSteps.send(chain.web3j(), CONSUMER, JsonPath.read(body, "$.steps[1]")), consumer);
        assertThat(deposited(channel)).isEqualTo(deposit);
        assertThat(balance(PLAIN_TOKEN, channel)).isEqualTo(deposit);

        var topUp = send("POST", "/api/channels/" + channel + "/deposit", "{\"amount\":\"7\"}", consumer);
        assertThat(JsonPath.<List<String>>read(topUp.body(), "$.steps[*].purpose"))
                .containsExactly("approve", "deposit");
        WalletSteps.send(chain.web3j(), CONSUMER, JsonPath.read(topUp.body(), "$.steps[0]"));
        WalletSteps.send(chain.web3j(), CONSUMER, JsonPath.read(topUp.body(), "$.steps[1]"));
        assertThat(deposited(channel)).isEqualTo(deposit.add(BigInteger.valueOf(7)));
    }

    @Test
    void anEtherListingKeepsItsOneTransactionAndAnEtherTopUpIsTheChannelsDeposit() throws Exception {
        String consumer = signInAs(CONSUMER);
        BigInteger deposit = BigInteger.TEN.pow(15);
        chain.setBalance(CONSUMER.getAddress(), BigInteger.TEN.pow(20));
        var prepared = subscribe(acceptedNegotiation(consumer), deposit, consumer);
        String body = prepared.body();
        assertThat(JsonPath.<String>read(body, "$.token.symbol")).isEqualTo("ETH");
        assertThat(JsonPath.<List<String>>read(body, "$.steps[*].kind")).containsExactly("transaction");
        assertThat(JsonPath.<String>read(body, "$.steps[0].data")).isEqualTo(JsonPath.read(body, "$.data"));
        assertThat(JsonPath.<String>read(body, "$.steps[0].value")).isEqualTo(JsonPath.read(body, "$.valueWei"));
        long subscription = ((Number) JsonPath.read(body, "$.subscription")).longValue();
        String channel = activate(
                subscription, WalletSteps.send(chain.web3j(), CONSUMER, JsonPath.read(body, "$.steps[0]")), consumer);

        var topUp = send("POST", "/api/channels/" + channel + "/deposit", "{\"amount\":\"5\"}", consumer);
        assertThat(JsonPath.<String>read(topUp.body(), "$.steps[0].to")).isEqualTo(channel);
        assertThat(JsonPath.<String>read(topUp.body(), "$.steps[0].value")).isEqualTo("5");
        WalletSteps.send(chain.web3j(), CONSUMER, JsonPath.read(topUp.body(), "$.steps[0]"));
        assertThat(deposited(channel)).isEqualTo(deposit.add(BigInteger.valueOf(5)));
    }

    /**
     * The web UI with the development wallet (anvil's unlocked account of the consumer) in real headless Chromium:
     * the subscribe form takes the deposit in demo dollars, the page signs the permit and sends the one transaction
     * (step 2 of 2 confirmed), the channel is active and funded with exactly the deposit; a top-up the same way.
     */
    @Test
    void theWebUiSubscribesWithOnePermitAndOneTransactionAndTopsUpTheSameWay() throws Exception {
        priceQuotesIn(DEMO_USD, TokenAuthorizations.DEMO_USD_SYMBOL, TokenAuthorizations.DEMO_USD_DECIMALS);
        String consumer = signInAs(CONSUMER);
        fund(DEMO_USD, BigInteger.valueOf(100_000_000));
        long negotiation = acceptedNegotiation(consumer);
        HeadlessChromium.start(1280, 1400);
        try {
            String me = send("GET", "/api/me", "", consumer).body();
            open(uri("/").toString());
            executeJavaScript(
                    "sessionStorage.setItem('tollgate.devAccount', arguments[1]);"
                            + "sessionStorage.setItem('tollgate.session', JSON.stringify({token: arguments[0],"
                            + " address: arguments[1], roles: arguments[2],"
                            + " expiresAt: new Date(Date.now() + 600000).toISOString()}))",
                    consumer,
                    JsonPath.<String>read(me, "$.address"),
                    JsonPath.read(me, "$.roles"));
            open(uri("/#/negotiations/" + negotiation).toString());
            $("label[for=deposit]").shouldHave(text("USDT-demo"));
            $("#token-steps").shouldHave(text("one permit"));
            $("#signer").setValue(SIGNER.getAddress());
            $("#deposit").setValue("12.5");
            $("#subscribe button[type=submit]").click();
            $("#funded").shouldHave(text("Funded with 12.5 USDT-demo"));
            $("[data-tx-state=confirmed]").shouldHave(text("Step 2 of 2"), text("create and fund the channel"));
            $("#channel").shouldHave(text("active"));
            String channel = $("#channel code").getText();
            assertThat(deposited(channel)).isEqualTo(DEPOSIT);
            assertThat(balance(DEMO_USD, channel)).isEqualTo(DEPOSIT);

            $("#top-up-amount").setValue("0.000001");
            $("#top-up button[type=submit]").click();
            $("#funded").shouldHave(text("Topped up with 0.000001 USDT-demo"));
            $("[data-tx-state=confirmed]").shouldHave(text("Step 2 of 2"), text("top up"));
            assertThat(deposited(channel)).isEqualTo(DEPOSIT.add(BigInteger.ONE));

            // a wallet without ether for gas: told so, after signing the permit
            chain.setBalance(CONSUMER.getAddress(), BigInteger.ZERO);
            $("#top-up-amount").setValue("0.000002");
            $("#top-up button[type=submit]").click();
            $("[data-tx-state=failed]").shouldHave(text("cannot pay"));
            chain.setBalance(CONSUMER.getAddress(), BigInteger.TEN.pow(20));

            // a transaction the chain does not mine in time is reported as not mined, with its hash
            chain.call("evm_setAutomine", List.of(false));
            try {
                $("#top-up button[type=submit]").click();
                $("[data-tx-state=timeout]")
                        .shouldHave(text("was not mined within 15 seconds"), java.time.Duration.ofSeconds(90));
                assertThat($("[data-tx-state=timeout]").getText()).containsPattern("transaction 0x[0-9a-f]{64}");
                assertThat(deposited(channel)).isEqualTo(DEPOSIT.add(BigInteger.ONE));
            } finally {
                chain.call("evm_setAutomine", List.of(true));
                chain.call("evm_mine", List.of());
            }
        } finally {
            WebDriverRunner.closeWebDriver();
        }
    }
}
