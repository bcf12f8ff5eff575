package io.tollgate.gateway.payment;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * For tests that start and close whole gateways in one JVM, as Spring Boot's own tests do: a closed gateway
 * must not dispose the global Reactor Netty resources the next one uses.
 */
// Not @Configuration: a source of the builders that use it, never picked up by component scanning.
public class PrivateNettyResources {

    @Bean
    static BeanPostProcessor ownNettyResources() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof ReactorResourceFactory factory) {
                    factory.setUseGlobalResources(false);
                }
                return bean;
            }
        };
    }
}
