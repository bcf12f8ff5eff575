package io.tollgate.gateway.chain;

import io.tollgate.settings.ChainProperties;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Async;

/** The shared chain settings are bound here; the gateway's own ({@link GatewayChainProperties}) by the scan. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChainProperties.class)
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
    ChannelStateSource channelStateSource(ChainProperties chain, GatewayChainProperties gateway, Web3j web3j) {
        if (!gateway.staticChannels().isEmpty()) {
            return new StaticChannelStateSource(chain, gateway);
        }
        return new Web3jChannelStateSource(web3j, chain.chainId(), new ChannelTrust(chain, gateway));
    }

    @Bean
    @ConditionalOnMissingBean
    ChannelStateCache channelStateCache(
            ChannelStateSource source, ChainProperties chain, GatewayChainProperties gateway, Clock clock) {
        return new RefreshingChannelStateCache(
                source,
                clock,
                gateway.refreshAfter(chain.redemptionTolerance()),
                chain.redemptionTolerance().minus(gateway.safetyMargin()),
                gateway.noContractRetry());
    }
}
