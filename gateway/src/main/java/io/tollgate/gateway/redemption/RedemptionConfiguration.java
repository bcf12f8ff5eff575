package io.tollgate.gateway.redemption;

import io.tollgate.gateway.chain.ChainProperties;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.ledger.LedgerProperties;
import io.tollgate.gateway.usage.GatewayDatabase;
import java.time.Clock;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

@Configuration(proxyBeanMethods = false)
class RedemptionConfiguration {

    /**
     * Runs the {@link RedemptionScheduler} when the gateway has a database (the journal) and a
     * {@link RedemptionChain} bean (the operator's contract calls); otherwise says once that it does not redeem.
     */
    @Bean
    SmartLifecycle redemptionRunner(
            ObjectProvider<RedemptionChain> chain,
            GatewayDatabase database,
            ChannelStateCache channels,
            ReactiveStringRedisTemplate redis,
            LedgerProperties ledger,
            RedemptionProperties properties,
            ChainProperties chainProperties,
            Clock clock) {
        return new SmartLifecycle() {
            private RedemptionScheduler scheduler;

            @Override
            public void start() {
                var calls = chain.getIfAvailable();
                if (calls == null || database.dataSource().isEmpty()) {
                    LoggerFactory.getLogger(RedemptionScheduler.class)
                            .atInfo()
                            .log("not redeeming: needs a database and an operator chain client");
                    scheduler = null;
                    return;
                }
                scheduler = new RedemptionScheduler(
                        channels,
                        calls,
                        new RedemptionJournal(database.dataSource().get()),
                        redis,
                        ledger.keyPrefix(),
                        properties,
                        chainProperties.redemptionTolerance(),
                        clock);
                scheduler.start();
            }

            @Override
            public void stop() {
                if (scheduler != null) {
                    scheduler.stop();
                    scheduler = null;
                }
            }

            @Override
            public boolean isRunning() {
                return scheduler != null && scheduler.isRunning();
            }
        };
    }
}
