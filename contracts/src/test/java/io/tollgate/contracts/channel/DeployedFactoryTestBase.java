package io.tollgate.contracts.channel;

import io.tollgate.contracts.testing.AnvilNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the channel tests on an anvil of their own share: anvil started and the factory (with release 1) deployed by
 * account 0 before the class's own {@code @BeforeAll}, anvil closed after the class.
 */
abstract class DeployedFactoryTestBase {
    static AnvilNode chain;
    static Deployments.Deployment deployment;

    @BeforeAll
    static void startChainAndDeploy() {
        chain = AnvilNode.start();
        deployment = Deployments.deploy(chain.web3j(), chain.transactionManager(0));
    }

    @AfterAll
    static void closeChain() {
        chain.close();
    }
}
