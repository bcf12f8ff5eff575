package io.tollgate.gateway.usage;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class UsageConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UsageRecorder usageRecorder() {
        return observation -> {};
    }
}
