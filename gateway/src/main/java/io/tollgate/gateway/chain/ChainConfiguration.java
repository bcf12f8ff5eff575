package io.tollgate.gateway.chain;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Async;

@Configuration(proxyBeanMethods = false)
class ChainConfiguration {

    /** The node the gateway reads channels from and sends the operator's transactions to. */
    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    Web3j web3j(ChainProperties properties) {
        return Web3j.build(new HttpService(properties.rpcUrl()), 500, Async.defaultExecutorService());
    }

    /** Static channels when configured (benchmark); otherwise the chain, through web3j. */
    @Bean
    @ConditionalOnMissingBean
    ChannelStateSource channelStateSource(ChainProperties properties, Web3j web3j) {
        if (!properties.staticChannels().isEmpty()) {
            return new StaticChannelStateSource(properties);
        }
        return new Web3jChannelStateSource(web3j, properties.chainId(), new ChannelTrust(properties));
    }

    @Bean
    @ConditionalOnMissingBean
    ChannelStateCache channelStateCache(ChannelStateSource source, ChainProperties properties, Clock clock) {
        return new RefreshingChannelStateCache(
                source,
                clock,
                properties.refreshAfter(),
                properties.redemptionTolerance().minus(properties.safetyMargin()),
                properties.noContractRetry());
    }
}
