package io.tollgate.gateway.redemption;

import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.chain.GatewayChainProperties;
import io.tollgate.gateway.ledger.LedgerProperties;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.usage.GatewayDatabase;
import io.tollgate.settings.ChainProperties;
import io.tollgate.settings.schedule.Ticker;
import java.time.Clock;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

@Configuration(proxyBeanMethods = false)
class RedemptionConfiguration {

    /**
     * The operator key's transactions, one nonce sequence: redemptions and x402 settlements (when both are on)
     * share it.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("!'${tollgate.chain.operator-key:}'.isEmpty()")
    OperatorTransactions operatorTransactions(ChainProperties chain, GatewayChainProperties gateway, Web3j web3j) {
        var operator = Credentials.create(gateway.operatorKey().value());
        return new OperatorTransactions(new FastRawTransactionManager(
                web3j, operator, chain.chainId(), new PollingTransactionReceiptProcessor(web3j, 200, 300)));
    }

    /** The operator's redemption calls, when this gateway holds an operator key. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("!'${tollgate.chain.operator-key:}'.isEmpty()")
    RedemptionChain redemptionChain(ChainProperties chain, OperatorTransactions operator, Web3j web3j, Clock clock) {
        return new Web3jRedemptionChain(web3j, operator.manager(), chain.gasPriceCeiling(), clock);
    }

    /**
     * Runs the {@link RedemptionScheduler} every {@code tick} when the gateway has a database (the journal) and a
     * {@link RedemptionChain} bean (the operator's contract calls); otherwise says once that it does not redeem.
     */
    @Bean
    Ticker redemptionRunner(
            ObjectProvider<RedemptionChain> chain,
            GatewayDatabase database,
            ChannelStateCache channels,
            VoucherLedger ledger,
            ReactiveStringRedisTemplate redis,
            LedgerProperties ledgerProperties,
            RedemptionProperties properties,
            ChainProperties chainProperties,
            Clock clock) {
        var calls = chain.getIfAvailable();
        if (calls == null || database.dataSource().isEmpty()) {
            LoggerFactory.getLogger(RedemptionScheduler.class)
                    .atInfo()
                    .log("not redeeming: needs a database and an operator chain client");
            return Ticker.disabled("redemption");
        }
        var scheduler = new RedemptionScheduler(
                channels,
                calls,
                new RedemptionJournal(database.dataSource().get()),
                ledger,
                new RedemptionLease(redis, ledgerProperties.keyPrefix(), properties.lease()),
                properties,
                chainProperties.redemptionTolerance(),
                clock);
        return new Ticker("redemption", properties.tick(), scheduler::tick);
    }
}
