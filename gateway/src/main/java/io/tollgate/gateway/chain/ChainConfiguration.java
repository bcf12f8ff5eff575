package io.tollgate.gateway.chain;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

@Configuration(proxyBeanMethods = false)
class ChainConfiguration {

    /**
     * Static channels when configured (benchmark); otherwise, until the web3j-backed reader is wired, no channel
     * can be read and paid routes fail closed (503).
     */
    @Bean
    @ConditionalOnMissingBean
    ChannelStateSource channelStateSource(ChainProperties properties) {
        if (!properties.staticChannels().isEmpty()) {
            return new StaticChannelStateSource(properties);
        }
        return channel -> Mono.error(new IllegalStateException("no chain reader configured"));
    }

    @Bean
    @ConditionalOnMissingBean
    ChannelStateCache channelStateCache(
            ChannelStateSource source, ChainProperties properties, ObjectProvider<Clock> clock) {
        return new RefreshingChannelStateCache(
                source,
                clock.getIfAvailable(Clock::systemUTC),
                properties.refreshAfter(),
                properties.redemptionTolerance().minus(properties.safetyMargin()));
    }
}
