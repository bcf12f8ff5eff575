package io.tollgate.marketplace.chain;

import io.tollgate.settings.ChainProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Binds the chain settings every service shares ({@code tollgate.chain}, {@link ChainProperties}) and refuses to
 * start when the T_c of the channels this marketplace creates is unsafe beside their T_r (less than 2·T_r + 30 s: a
 * redemption the gateway starts when it sees a close request would not finish before the close).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChainProperties.class)
class ChainConfiguration {
    ChainConfiguration(ChainProperties chain) {
        chain.requireSafeCloseDelay();
    }
}
