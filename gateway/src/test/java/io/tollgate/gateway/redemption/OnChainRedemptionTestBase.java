package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.ChainClock;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.ledger.LedgerProperties;
import io.tollgate.gateway.ledger.RedisVoucherLedger;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the scheduler's on-chain tests share: anvil with the factory at fresh addresses, the shared Redis with a
 * ledger under a key prefix of the class's own, a {@link ChainClock} for the scheduler, moved with the chain.
 */
abstract class OnChainRedemptionTestBase {
    static AnvilNode chain;
    static Deployments.Deployment deployment;
    static RealRedis redis;
    static RedisVoucherLedger ledger;
    static String prefix;

    final ChainClock clock = new ChainClock();

    @BeforeAll
    static void startChainAndLedger() {
        chain = AnvilNode.start();
        deployment = OnChainFixtures.freshDeployment(chain);
        redis = RealRedis.connect();
        prefix = "tollgate-onchain-redemption-" + System.nanoTime();
        ledger = redis.ledger(new LedgerProperties(64, prefix), Clock.systemUTC());
    }

    @AfterAll
    static void closeChainAndLedger() {
        ledger.close();
        redis.close();
        chain.close();
    }

    /** Moves the scheduler's clock and the chain's time forward together. */
    void advance(Duration by) {
        clock.advance(by);
        chain.increaseTime(by);
    }
}
