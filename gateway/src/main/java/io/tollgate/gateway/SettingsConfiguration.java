package io.tollgate.gateway;

import io.tollgate.pricing.Wei;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;

/**
 * What every part of the gateway's settings shares: amounts of wei bound as {@link Wei} (decimal strings, parsed
 * once at startup) and the one {@link Clock} (a test may give its own bean).
 */
@Configuration(proxyBeanMethods = false)
class SettingsConfiguration {

    @Bean
    @ConfigurationPropertiesBinding
    static WeiConverter weiConverter() {
        return new WeiConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A decimal amount of wei, e.g. {@code 1000000000000000000}; blank: none. */
    static final class WeiConverter implements Converter<String, Wei> {
        @Override
        public Wei convert(String source) {
            return source.isBlank() ? null : Wei.parse(source.strip());
        }
    }
}
