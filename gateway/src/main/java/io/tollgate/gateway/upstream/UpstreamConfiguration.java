package io.tollgate.gateway.upstream;

import io.tollgate.settings.Secret;
import io.tollgate.upstream.HostResolver;
import io.tollgate.upstream.UpstreamPolicy;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's side of the upstream rules: every connection to an upstream goes through the {@link UpstreamPolicy}
 * (a resolver on the gateway's HTTP client), and requests carry the listing's upstream secret
 * ({@code UpstreamSecret=<listing>} route filter).
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties({
    UpstreamConfiguration.UpstreamsProperties.class,
    UpstreamConfiguration.UpstreamSecretProperties.class
})
public class UpstreamConfiguration {

    /**
     * Which upstreams the gateway connects to beyond public addresses (the same settings in the marketplace and the
     * monitor).
     *
     * @param allowNetworks CIDR networks an upstream may resolve to although a rule refuses them (the demo: {@code
     *     127.0.0.0/8}); none by default
     * @param allowHosts host names whose addresses are not checked ({@code name} or {@code *.suffix}); none by default
     */
    @Validated
    @ConfigurationProperties("tollgate.upstreams")
    public record UpstreamsProperties(
            @DefaultValue List<String> allowNetworks,
            @DefaultValue List<String> allowHosts) {}

    /**
     * Upstream secrets of listings configured in YAML ({@code tollgate.gateway.listings}); listings from the
     * marketplace bring their own. Never logged.
     *
     * @param upstreamSecrets per listing id, the value sent in {@code Tollgate-Upstream-Secret}
     */
    @Validated
    @ConfigurationProperties("tollgate.gateway")
    public record UpstreamSecretProperties(@DefaultValue Map<String, Secret> upstreamSecrets) {}

    @Bean
    @ConditionalOnMissingBean
    HostResolver hostResolver() {
        return HostResolver.SYSTEM;
    }

    @Bean
    UpstreamPolicy upstreamPolicy(UpstreamsProperties properties, HostResolver resolver) {
        return UpstreamPolicy.of(properties.allowNetworks(), properties.allowHosts(), resolver);
    }

    @Bean
    PolicyAddressResolverGroup policyAddressResolverGroup(UpstreamPolicy policy) {
        return new PolicyAddressResolverGroup(policy);
    }

    /** Every upstream connection resolves through the policy (the address dialled is the address checked). */
    @Bean
    HttpClientCustomizer upstreamPolicyResolver(PolicyAddressResolverGroup resolver) {
        return client -> client.resolver(resolver);
    }

    @Bean
    UpstreamSecretGatewayFilterFactory upstreamSecretGatewayFilterFactory(
            UpstreamSecretProperties configured,
            org.springframework.beans.factory.ObjectProvider<UpstreamSecretSource> sources) {
        return new UpstreamSecretGatewayFilterFactory(
                configured.upstreamSecrets().entrySet().stream()
                        .collect(Collectors.toUnmodifiableMap(
                                Map.Entry::getKey, e -> e.getValue().value())),
                () -> sources.orderedStream().toList());
    }
}
