package io.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * {@link ChainTopUp} on a real EVM (anvil): a DemoUsd channel is topped up with one permit and one transaction, a
 * channel of a token without permits (DemoToken) with approve then deposit, an ether channel with ether; each
 * deposit grows by exactly the amount.
 */
class ChainTopUpOnChainTest {
    static final BigInteger CEILING = BigInteger.TEN.pow(12);
    static AnvilNode chain;
    static String factory;
    static String usd;
    static String plain;

    @BeforeAll
    static void deploy() throws Exception {
        chain = AnvilNode.start();
        factory = Deployments.deploy(chain.web3j(), chain.transactionManager(0)).factory();
        usd = OnChainFixtures.demoUsd(chain, 1, BigInteger.valueOf(1_000_000_000L));
        var token = DemoToken.deploy(chain.web3j(), chain.transactionManager(1), new DefaultGasProvider())
                .send();
        token.faucet(BigInteger.TEN.pow(21)).send();
        plain = token.getContractAddress();
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    static ChannelClient channel(Optional<String> token) {
        var terms = new ChannelTerms(
                chain.account(1).getAddress(),
                chain.account(2).getAddress(),
                chain.account(3).getAddress(),
                chain.account(4).getAddress(),
                token,
                PriceTable.of(1_000, 2_500),
                Duration.ofSeconds(60),
                Duration.ofMinutes(15));
        return FactoryClient.create(chain.web3j(), chain.transactionManager(1), factory, terms, Wei.ZERO);
    }

    static ChainTopUp topUp(String token, Wei amount) {
        return new ChainTopUp(
                chain.web3j(), chain.account(1), chain.transactionManager(1), factory, token, amount, CEILING);
    }

    static BigInteger sent() throws Exception {
        return chain.web3j()
                .ethGetTransactionCount(chain.account(1).getAddress(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
    }

    @Test
    void aPermitTokenIsToppedUpWithOnePermitInOneTransaction() throws Exception {
        var channel = channel(Optional.of(usd));
        var topUp = topUp(usd, Wei.of(1_234_567));
        assertThat(topUp.supportsPermit()).isTrue();
        BigInteger before = sent();
        BigInteger nonce =
                TokenPermits.nonce(chain.web3j(), usd, chain.account(1).getAddress());

        topUp.topUp(
                new io.tollgate.client.ChannelTerms(
                        channel.address(), AnvilNode.CHAIN_ID, 1, PriceTable.of(1_000, 2_500)),
                Wei.ZERO);

        assertThat(sent()).isEqualTo(before.add(BigInteger.ONE));
        assertThat(TokenPermits.nonce(chain.web3j(), usd, chain.account(1).getAddress()))
                .isEqualTo(nonce.add(BigInteger.ONE));
        assertThat(channel.state().unredeemed()).isEqualTo(Wei.of(1_234_567));
    }

    @Test
    void aTokenWithoutPermitsIsApprovedThenDeposited() throws Exception {
        var channel = channel(Optional.of(plain));
        var topUp = topUp(plain, Wei.of(777));
        assertThat(topUp.supportsPermit()).isFalse();
        BigInteger before = sent();

        assertThat(topUp.deposit(channel.address())).isEqualTo(ChainTopUp.Funding.APPROVE_THEN_DEPOSIT);

        assertThat(sent()).as("approve, deposit").isEqualTo(before.add(BigInteger.TWO));
        assertThat(channel.state().unredeemed()).isEqualTo(Wei.of(777));
        assertThat(topUp.deposit(channel.address())).isEqualTo(ChainTopUp.Funding.APPROVE_THEN_DEPOSIT);
        assertThat(channel.state().unredeemed()).isEqualTo(Wei.of(1_554));
    }

    @Test
    void anEtherChannelIsToppedUpWithEther() {
        var channel = channel(Optional.empty());
        var topUp = topUp(Address.ZERO.value(), Wei.of(1_000_000_000_000L));
        assertThat(topUp.deposit(channel.address())).isEqualTo(ChainTopUp.Funding.ETHER);
        assertThat(channel.state().unredeemed()).isEqualTo(Wei.of(1_000_000_000_000L));
        assertThat(chain.balance(channel.address())).isEqualTo(BigInteger.valueOf(1_000_000_000_000L));
    }
}
