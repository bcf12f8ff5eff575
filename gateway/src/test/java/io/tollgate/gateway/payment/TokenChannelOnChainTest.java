package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tollgate.client.ChainTopUp;
import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.PriceAboveCapException;
import io.tollgate.client.TollgateClient;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.generated.DemoUsd;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A listing priced in the demo dollar (USDT-demo, 6 decimals) on a real EVM, through the running gateway: a DemoUsd
 * channel created and funded with one permit, the 402 body naming the token, paid calls from the client library at
 * 0.001 USDT-demo each, the gateway's own scheduler redeeming on chain, the provider's withdrawal and the consumer's
 * refund, every token balance checked to the unit and the ether balances moved by gas only. Then the client library
 * tops up a token channel with a permit when the credit runs low, and caps prices per token.
 */
class TokenChannelOnChainTest extends OnChainGatewayTestBase {
    static final TokenUnit USD = new TokenUnit("USDT-demo", 6);
    static final PriceTable PRICES = PriceTable.of(1_000, 2_500); // 0.001 and 0.0025 USDT-demo
    static final Wei DEPOSIT = Wei.of(10_000); // 0.01 USDT-demo: 10 calls of category 0
    static final BigInteger CEILING = BigInteger.TEN.pow(12);
    static final JsonMapper JSON = JsonMapper.builder().build();

    static String usd;
    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        usd = TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(0))
                .toLowerCase(Locale.ROOT);
        token(1).faucet(BigInteger.valueOf(1_000_000_000L)).send(); // 1,000 USDT-demo for the consumer
        startGateway(PaidTrafficOnChainTest.onChainGateway(
                chain,
                deployment,
                upstream.baseUrl(),
                "dollars",
                payout(),
                "/usd",
                0,
                "token=" + usd,
                "token-symbol=USDT-demo",
                "token-decimals=6",
                "prices=" + String.join(",", PRICES.decimals())));
    }

    static String consumer() {
        return chain.account(1).getAddress().toLowerCase(Locale.ROOT);
    }

    static DemoUsd token(int account) {
        return DemoUsd.load(usd, chain.web3j(), chain.transactionManager(account), new DefaultGasProvider());
    }

    static BigInteger usdOf(String holder) throws Exception {
        return token(0).balanceOf(holder).send();
    }

    static Instant chainNow() {
        return OnChainFixtures.chainTime(chain);
    }

    /** What a mined transaction cost its sender in ether: gas used × effective gas price. */
    static BigInteger gasCost(TransactionReceipt receipt) {
        return receipt.getGasUsed().multiply(Numeric.decodeQuantity(receipt.getEffectiveGasPrice()));
    }

    /** The ether the latest block's transaction of {@code from} cost (anvil mines one transaction a block). */
    static BigInteger latestTransactionCost(String from) throws Exception {
        var block = chain.web3j()
                .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, true)
                .send()
                .getBlock();
        var tx = block.getTransactions().stream()
                .map(t -> (EthBlock.TransactionObject) t.get())
                .filter(t -> t.getFrom().equalsIgnoreCase(from))
                .findFirst()
                .orElseThrow();
        return gasCost(chain.web3j()
                .ethGetTransactionReceipt(tx.getHash())
                .send()
                .getTransactionReceipt()
                .orElseThrow());
    }

    static BigInteger transactionsSent(String account) throws Exception {
        return chain.web3j()
                .ethGetTransactionCount(account, DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
    }

    /** The consumer creates and funds a DemoUsd channel in one transaction, with one permit to the factory. */
    static ChannelClient createWithPermit(Wei deposit) throws Exception {
        var terms = new ChannelTerms(
                consumer(),
                TestVouchers.SIGNER.getAddress(),
                payout(),
                chain.account(4).getAddress(),
                Optional.of(usd),
                PRICES,
                Duration.ofSeconds(2),
                Duration.ofSeconds(40));
        return OnChainFixtures.permitChannel(
                chain, deployment.factory(), chain.account(1), chain.transactionManager(1), terms, deposit);
    }

    private TollgateClient.Builder client(ChannelClient channel) {
        return client(channel, "counters");
    }

    private TollgateClient.Builder client(ChannelClient channel, String name) {
        return TollgateClient.builder()
                .terms(new io.tollgate.client.ChannelTerms(channel.address(), AnvilNode.CHAIN_ID, 1, PRICES))
                .token(usd, USD)
                .signer(TestVouchers.SIGNER.getEcKeyPair())
                .counters(new FileVoucherCounters(dir.resolve(name + "-" + channel.address() + ".log")));
    }

    private HttpRequest weather() {
        return HttpRequest.newBuilder(URI.create(gatewayUrl + "/usd/weather/berlin"))
                .build();
    }

    /** The unredeemed deposit the gateway's request path works with (from a 409 to an epoch that does not exist). */
    private static Wei gatewaySeesUnredeemed(String channel) throws Exception {
        JsonNode body = JSON.readTree(TestVouchers.epochUnknownBody(
                http, gatewayUrl + "/usd/weather/berlin", AnvilNode.CHAIN_ID, channel, 0, PRICES.hash()));
        assertThat(body.path("unredeemedDepositFormatted").asString())
                .isEqualTo(USD.describe(
                        new BigInteger(body.path("unredeemedDeposit").asString())));
        return Wei.parse(body.path("unredeemedDeposit").asString());
    }

    @Test
    void the402BodyNamesTheTokenAndGivesPricesInBaseUnitsAndFormatted() throws Exception {
        var response = http.send(weather(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(402);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("token").asString()).isEqualTo(usd);
        assertThat(body.path("asset").path("address").asString()).isEqualTo(usd);
        assertThat(body.path("asset").path("symbol").asString()).isEqualTo("USDT-demo");
        assertThat(body.path("asset").path("decimals").asInt()).isEqualTo(6);
        assertThat(JSON.convertValue(body.path("listPrices"), List.class)).containsExactly("1000", "2500");
        assertThat(JSON.convertValue(body.path("listPricesFormatted"), List.class))
                .containsExactly("0.001 USDT-demo", "0.0025 USDT-demo");
        assertThat(body.path("price").path("baseUnits").asString()).isEqualTo("1000");
        assertThat(body.path("price").path("formatted").asString()).isEqualTo("0.001 USDT-demo");
        // the client library reads the same members
        var problem = TollgateClientProblems.of(response);
        assertThat(problem.asset()).hasValueSatisfying(asset -> {
            assertThat(asset.address()).isEqualTo(usd);
            assertThat(asset.unit()).isEqualTo(USD);
        });
    }

    @Test
    void paidCallsInUsdAreRedeemedWithdrawnAndRefundedToTheUnit() throws Exception {
        BigInteger consumerUsd = usdOf(consumer());
        BigInteger payoutUsd = usdOf(payout());
        BigInteger consumerEther = chain.balance(consumer());
        BigInteger payoutEther = chain.balance(payout());
        BigInteger sent = transactionsSent(consumer());

        var channel = createWithPermit(DEPOSIT);
        BigInteger gasSpent = latestTransactionCost(consumer());
        assertThat(transactionsSent(consumer())).as("one transaction").isEqualTo(sent.add(BigInteger.ONE));
        assertThat(usdOf(channel.address())).isEqualTo(DEPOSIT.value());
        assertThat(usdOf(consumer())).isEqualTo(consumerUsd.subtract(DEPOSIT.value()));
        assertThat(channel.state().unredeemed()).isEqualTo(DEPOSIT);

        var client = client(channel).build();
        // 5 × 0.001 = 0.005 USDT-demo: the fifth call brings the exposure to the 50 % share, no earlier one does
        int served = 5;
        for (int i = 0; i < served; i++) {
            var response = client.send(weather(), 0);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("berlin");
        }
        Wei value = PRICES.cost(0, served);
        assertThat(value).isEqualTo(Wei.of(5_000));
        assertThat(client.remainingCredit()).contains(DEPOSIT.minus(value));

        // the gateway's own scheduler redeems on chain with the operator key
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(channel.state().earnings()).isEqualTo(value));
        assertThat(channel.redeemedCounts(1)).containsExactly((long) served, 0L);
        assertThat(channel.state().unredeemed()).isEqualTo(DEPOSIT.minus(value));

        // anyone may withdraw for the provider (account 5 here): the payout gets calls × price exactly
        new ChannelClient(chain.web3j(), channel.address(), chain.transactionManager(5), CEILING).withdraw();
        assertThat(usdOf(payout())).isEqualTo(payoutUsd.add(value.value()));
        assertThat(usdOf(channel.address())).isEqualTo(DEPOSIT.minus(value).value());

        // the consumer asks to close, waits T_c and closes: the rest of the deposit comes back to the unit
        var owner = new ChannelClient(chain.web3j(), channel.address(), chain.transactionManager(1), CEILING);
        gasSpent = gasSpent.add(gasCost(owner.requestClose()));
        chain.increaseTime(Duration.ofSeconds(41));
        chain.mine();
        gasSpent = gasSpent.add(gasCost(owner.close()));
        assertThat(usdOf(channel.address())).isZero();
        assertThat(usdOf(consumer())).isEqualTo(consumerUsd.subtract(value.value()));
        assertThat(usdOf(payout())).isEqualTo(payoutUsd.add(value.value()));

        // no ether moved but gas: the payout sent nothing, the consumer paid only its three transactions' gas
        assertThat(chain.balance(payout())).isEqualTo(payoutEther);
        assertThat(chain.balance(channel.address())).isZero();
        assertThat(chain.balance(consumer())).isEqualTo(consumerEther.subtract(gasSpent));
    }

    @Test
    void theClientTopsUpATokenChannelWithAPermitAndCapsPerToken() throws Exception {
        var channel = createWithPermit(DEPOSIT); // 10 calls
        String address = channel.address().toLowerCase(Locale.ROOT);

        // caps are per token: an ether cap does not apply to the USD channel, a USD cap does
        assertThat(client(channel, "ether-caps")
                        .caps(ChannelState.ETHER, List.of(Wei.of(1), Wei.of(1)))
                        .build()
                        .caps())
                .as("the channel's initial prices, not the ether caps")
                .isEqualTo(PRICES.prices());
        assertThatThrownBy(() -> client(channel, "usd-caps")
                        .caps(ChannelState.ETHER, List.of(Wei.of(1_000_000), Wei.of(1_000_000)))
                        .caps(usd, List.of(Wei.of(999), Wei.of(2_500)))
                        .build())
                .isInstanceOf(PriceAboveCapException.class)
                .hasMessageContaining("category 0 is 0.001 USDT-demo, above the cap of 0.000999 USDT-demo");

        var topUp = new ChainTopUp(
                chain.web3j(),
                chain.account(1),
                chain.transactionManager(1),
                deployment.factory(),
                usd,
                Wei.of(5_000),
                CEILING);
        assertThat(topUp.supportsPermit()).isTrue();
        var topUps = new java.util.concurrent.atomic.AtomicInteger();
        var client = client(channel, "paying")
                .caps(usd, List.of(Wei.of(1_000), Wei.of(2_500)))
                .topUp(Wei.of(8_000), (terms, credit) -> {
                    topUps.incrementAndGet();
                    topUp.topUp(terms, credit);
                })
                .topUpExecutor(Runnable::run) // the top-up runs in the request's thread: done when send returns
                .build();
        BigInteger nonce = TokenPermits.nonce(chain.web3j(), usd, consumer());
        BigInteger sent = transactionsSent(consumer());
        BigInteger consumerUsd = usdOf(consumer());

        for (int i = 0; i < 2; i++) { // 8,000 left: not below 8,000
            assertThat(client.send(weather(), 0).statusCode()).isEqualTo(200);
        }
        assertThat(transactionsSent(consumer())).isEqualTo(sent);
        assertThat(client.send(weather(), 0).statusCode()).isEqualTo(200); // 7,000 left: tops up

        assertThat(topUps).hasValue(1);
        assertThat(transactionsSent(consumer()))
                .as("one permit, one transaction")
                .isEqualTo(sent.add(BigInteger.ONE));
        assertThat(TokenPermits.nonce(chain.web3j(), usd, consumer())).isEqualTo(nonce.add(BigInteger.ONE));
        assertThat(channel.state().unredeemed()).isEqualTo(Wei.of(15_000));
        assertThat(usdOf(address)).isEqualTo(BigInteger.valueOf(15_000));
        assertThat(usdOf(consumer())).isEqualTo(consumerUsd.subtract(BigInteger.valueOf(5_000)));

        // the gateway sees the new deposit (3 calls of 15: below the redemption share, nothing redeemed yet)
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> gatewaySeesUnredeemed(address).equals(Wei.of(15_000)));
        assertThat(client.send(weather(), 0).statusCode()).isEqualTo(200);
        assertThat(client.remainingCredit()).contains(Wei.of(11_000));
        assertThat(topUps).as("credit above the threshold again").hasValue(1);
    }

    @Test
    void aCallTheDepositCannotPayIsRefusedInTheTokensUnits() throws Exception {
        var channel = createWithPermit(Wei.of(2_000)); // 2 calls
        var client = client(channel, "short").build();
        for (int i = 0; i < 2; i++) {
            assertThat(client.send(weather(), 0).statusCode()).isEqualTo(200);
        }
        // whether or not the gateway has redeemed the 2 calls by now, a third is more than the credit
        assertThatThrownBy(() -> client.send(weather(), 0))
                .isInstanceOfSatisfying(io.tollgate.client.PaymentRequiredException.class, e -> {
                    assertThat(e.problem().slug()).isEqualTo("payment-insufficient");
                    assertThat(e.problem().detail())
                            .contains("0.001 USDT-demo")
                            .contains("more than")
                            .contains("credit of 0");
                    assertThat(e.problem().member("creditLimitFormatted").orElseThrow())
                            .endsWith(" USDT-demo");
                });
    }

    /** The client library's reading of a problem answer. */
    static final class TollgateClientProblems {
        static io.tollgate.client.PaymentProblem of(HttpResponse<String> response) {
            Map<String, Object> members = JSON.convertValue(JSON.readTree(response.body()), Map.class);
            return new io.tollgate.client.PaymentProblem(
                    URI.create(String.valueOf(members.get("type"))),
                    String.valueOf(members.get("title")),
                    response.statusCode(),
                    String.valueOf(members.get("detail")),
                    members);
        }
    }
}
