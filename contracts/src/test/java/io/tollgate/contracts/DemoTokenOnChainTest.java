package io.tollgate.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.testing.AnvilNode;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.gas.DefaultGasProvider;

/** The whole pipeline: Solidity compiled by the build, its generated wrapper, a real EVM (anvil). */
class DemoTokenOnChainTest {
    static AnvilNode chain;
    static DemoToken token;

    @BeforeAll
    static void deploy() throws Exception {
        chain = AnvilNode.start();
        token = DemoToken.deploy(chain.web3j(), chain.transactionManager(0), new DefaultGasProvider())
                .send();
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    @Test
    void faucetMintsAndTransfersMoveExactAmounts() throws Exception {
        var consumer = chain.account(1).getAddress();
        var asConsumer = DemoToken.load(
                token.getContractAddress(), chain.web3j(), chain.transactionManager(1), new DefaultGasProvider());
        BigInteger amount = new BigInteger("123456789012345678901234");

        asConsumer.faucet(amount).send();
        asConsumer
                .transfer(chain.account(2).getAddress(), BigInteger.valueOf(4))
                .send();

        assertThat(token.balanceOf(consumer).send()).isEqualTo(amount.subtract(BigInteger.valueOf(4)));
        assertThat(token.balanceOf(chain.account(2).getAddress()).send()).isEqualTo(BigInteger.valueOf(4));
        assertThat(token.totalSupply().send()).isEqualTo(amount);
    }

    @Test
    void faucetRefusesMoreThanItsLimitOnChain() throws Exception {
        BigInteger limit = token.FAUCET_LIMIT().send();
        assertThatThrownBy(() -> token.faucet(limit.add(BigInteger.ONE)).send())
                .isInstanceOf(TransactionException.class);
        assertThat(token.balanceOf(chain.account(0).getAddress()).send()).isZero();
    }
}
