package io.tollgate.marketplace.catalogue;

import io.tollgate.upstream.UpstreamPolicy;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/**
 * Which upstreams listings may name, beyond public addresses (the same settings in gateways and monitors).
 *
 * @param allowNetworks CIDR networks an upstream may resolve to although a rule refuses them, e.g. {@code
 *     127.0.0.0/8} for the demo; none by default
 * @param allowHosts host names whose addresses are not checked ({@code name} or {@code *.suffix}); none by default
 */
@Validated
@ConfigurationProperties("tollgate.upstreams")
record UpstreamsProperties(
        @DefaultValue List<String> allowNetworks,
        @DefaultValue List<String> allowHosts) {

    @Configuration(proxyBeanMethods = false)
    static class PolicyConfiguration {
        @Bean
        UpstreamPolicy upstreamPolicy(UpstreamsProperties properties) {
            return UpstreamPolicy.of(properties.allowNetworks(), properties.allowHosts());
        }
    }
}
