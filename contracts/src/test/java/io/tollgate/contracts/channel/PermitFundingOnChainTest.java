package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.generated.DemoUsd;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.TokenAuthorizations;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * A DemoUsd channel created and funded with a permit signed here, in one transaction of the consumer's, on a real EVM
 * (anvil): balances to the unit, the deposit equal to the amount, the permit digest the token's own (it accepts the
 * signature) and web3j's independent EIP-712 encoder's.
 */
class PermitFundingOnChainTest {
    static final BigInteger DOLLAR = BigInteger.TEN.pow(6);
    static final BigInteger CEILING = BigInteger.TEN.pow(12);
    static AnvilNode chain;
    static String factory;
    static String usd;
    static Credentials consumer;

    @BeforeAll
    static void deploy() throws Exception {
        chain = AnvilNode.start();
        factory = Deployments.deploy(chain.web3j(), chain.transactionManager(0)).factory();
        usd = OnChainFixtures.demoUsd(chain, 1, DOLLAR.multiply(BigInteger.valueOf(1_000)));
        consumer = chain.account(1);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    static ChannelTerms terms() {
        return new ChannelTerms(
                consumer.getAddress(),
                chain.account(5).getAddress(),
                chain.account(3).getAddress(),
                chain.account(4).getAddress(),
                Optional.of(usd),
                PriceTable.of(1, 25),
                Duration.ofSeconds(60),
                Duration.ofMinutes(15));
    }

    /** The chain's latest block time plus an hour: the test keeps no clock of its own. */
    static Instant deadline() {
        return OnChainFixtures.chainTime(chain).plus(Duration.ofHours(1));
    }

    static BigInteger balance(String holder) throws Exception {
        return DemoUsd.load(usd, chain.web3j(), chain.transactionManager(0), new DefaultGasProvider())
                .balanceOf(holder)
                .send();
    }

    static BigInteger transactionsSent(String account) throws Exception {
        return chain.web3j()
                .ethGetTransactionCount(account, DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
    }

    @Test
    void aChannelIsCreatedAndFundedWithOnePermitInOneTransaction() throws Exception {
        BigInteger amount = new BigInteger("123456789"); // 123.456789 demo dollars
        BigInteger before = balance(consumer.getAddress());
        BigInteger sent = transactionsSent(consumer.getAddress());
        var permit = TokenPermits.sign(chain.web3j(), usd, consumer, factory, new Wei(amount), deadline());
        var factoryClient = new FactoryClient(chain.web3j(), factory, chain.transactionManager(1), CEILING);

        ChannelClient channel = factoryClient.createChannelWithPermit(terms(), SlaTerms.none(), permit);

        assertThat(transactionsSent(consumer.getAddress())).isEqualTo(sent.add(BigInteger.ONE));
        assertThat(balance(consumer.getAddress())).isEqualTo(before.subtract(amount));
        assertThat(balance(channel.address())).isEqualTo(amount);
        assertThat(balance(factory)).isZero();
        var state = channel.state();
        assertThat(state.unredeemed().value()).isEqualTo(amount);
        assertThat(state.totalDeposited().value()).isEqualTo(amount);
        assertThat(channel.parties().token()).isEqualToIgnoringCase(usd);
        assertThat(FactoryClient.createdBy(chain.web3j(), factory, channel.address()))
                .isTrue();

        // a top-up with a second permit (the next nonce), again one transaction
        BigInteger topUp = new BigInteger("2500001");
        var second = TokenPermits.sign(chain.web3j(), usd, consumer, factory, new Wei(topUp), deadline());
        assertThat(second.nonce()).isEqualTo(permit.nonce().add(BigInteger.ONE));
        factoryClient.depositWithPermit(channel.address(), second);
        assertThat(channel.state().unredeemed().value()).isEqualTo(amount.add(topUp));
        assertThat(balance(channel.address())).isEqualTo(amount.add(topUp));
        assertThat(balance(consumer.getAddress()))
                .isEqualTo(before.subtract(amount).subtract(topUp));
        assertThat(transactionsSent(consumer.getAddress())).isEqualTo(sent.add(BigInteger.TWO));
    }

    @Test
    void approveThenDepositStillWorksWithTheSixDecimalToken() throws Exception {
        BigInteger amount = new BigInteger("9999999");
        BigInteger before = balance(consumer.getAddress());
        var channel = FactoryClient.create(chain.web3j(), chain.transactionManager(1), factory, terms(), Wei.ZERO);
        channel.depositToken(usd, new Wei(amount));
        assertThat(channel.state().unredeemed().value()).isEqualTo(amount);
        assertThat(balance(channel.address())).isEqualTo(amount);
        assertThat(balance(consumer.getAddress())).isEqualTo(before.subtract(amount));
    }

    @Test
    void anExpiredPermitIsRefusedBeforeAnythingIsSent() throws Exception {
        BigInteger before = balance(consumer.getAddress());
        BigInteger sent = transactionsSent(consumer.getAddress());
        var expired = TokenPermits.sign(
                chain.web3j(),
                usd,
                consumer,
                factory,
                new Wei(DOLLAR),
                deadline().minus(Duration.ofHours(2)));
        var factoryClient = new FactoryClient(chain.web3j(), factory, chain.transactionManager(1), CEILING);

        assertThatThrownBy(() -> factoryClient.createChannelWithPermit(terms(), SlaTerms.none(), expired))
                .isInstanceOfSatisfying(
                        ChannelRevertedException.class,
                        e -> assertThat(e.getMessage()).contains("PermitNotUsable"));
        assertThat(transactionsSent(consumer.getAddress())).isEqualTo(sent);
        assertThat(balance(consumer.getAddress())).isEqualTo(before);
    }

    @Test
    void theTokensDomainIsTheDocumentedOneAndThePermitDigestWeb3jsToo() throws Exception {
        var domain = TokenPermits.domain(chain.web3j(), usd);
        assertThat(domain).isEqualTo(TokenAuthorizations.Domain.demoUsd(AnvilNode.CHAIN_ID, Address.of(usd)));
        var token = DemoUsd.load(usd, chain.web3j(), chain.transactionManager(0), new DefaultGasProvider());
        assertThat(token.name().send()).isEqualTo(TokenAuthorizations.DEMO_USD_NAME);
        assertThat(token.version().send()).isEqualTo(TokenAuthorizations.DEMO_USD_VERSION);
        assertThat(token.symbol().send()).isEqualTo(TokenAuthorizations.DEMO_USD_SYMBOL);
        assertThat(token.decimals().send().intValueExact()).isEqualTo(TokenAuthorizations.DEMO_USD_DECIMALS);

        BigInteger deadline = BigInteger.valueOf(1_900_000_000L);
        byte[] ours = TokenAuthorizations.permitDigest(
                domain,
                Address.of(consumer.getAddress()),
                Address.of(factory),
                new BigInteger("123456789"),
                BigInteger.valueOf(3),
                deadline);
        String json = """
                {"types": {
                   "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                    {"name": "chainId", "type": "uint256"},
                                    {"name": "verifyingContract", "type": "address"}],
                   "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                              {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                              {"name": "deadline", "type": "uint256"}]},
                 "primaryType": "Permit",
                 "domain": {"name": "Tollgate Demo USD", "version": "1", "chainId": 31337, "verifyingContract": "%s"},
                 "message": {"owner": "%s", "spender": "%s", "value": 123456789, "nonce": 3, "deadline": %s}}
                """.formatted(usd, consumer.getAddress(), factory, deadline);
        assertThat(ours).isEqualTo(new StructuredDataEncoder(json).hashStructuredData());
    }
}
