package io.tollgate.gateway.payment;

import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.TestDatabase;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the gateway's on-chain tests share: anvil with the factory deployed from a fresh deployer nonce, the example
 * upstream, the migrated test database, one gateway started with the test's arguments, and anvil account 3 as the
 * payout. All is closed after the class.
 */
abstract class OnChainGatewayTestBase {
    static AnvilNode chain;
    static ExampleUpstream upstream;
    static Deployments.Deployment deployment;
    static ConfigurableApplicationContext gateway;
    static String gatewayUrl;

    /**
     * Starts anvil and the example upstream and deploys the factory at fresh addresses (the shared test database and
     * Redis remember channels of earlier runs), then migrates the test database: before the test class's own
     * {@code @BeforeAll}.
     */
    @BeforeAll
    static void startChain() {
        chain = AnvilNode.start();
        upstream = ExampleUpstream.start(0);
        deployment = OnChainFixtures.freshDeployment(chain);
        TestDatabase.migrated();
    }

    /** Starts the gateway with {@code arguments} on a port of its own and remembers its URL. */
    static void startGateway(String... arguments) {
        gateway = new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class).run(arguments);
        gatewayUrl = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        chain.close();
    }

    static String payout() {
        return chain.account(OnChainFixtures.PAYOUT).getAddress().toLowerCase(Locale.ROOT);
    }
}
