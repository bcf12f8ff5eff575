package io.tollgate.marketplace.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Startup refuses a marketplace that would have to guess whom sign-ins are for, or whom external tokens are for. */
class IdentityPropertiesTest {
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IdentityProperties.class)
    static class Binding {}

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void withoutADomainTheMarketplaceDoesNotStart() {
        runner.withPropertyValues("tollgate.identity.uri=https://market.example/")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("tollgate.identity.domain is required")
                        .hasMessageContaining("never taken from the request's Host header"));
    }

    @Test
    void withoutAUriTheMarketplaceDoesNotStart() {
        runner.withPropertyValues("tollgate.identity.domain=market.example")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("tollgate.identity.uri is required"));
    }

    @Test
    void aUriElsewhereThanTheDomainIsRefused() {
        runner.withPropertyValues(
                        "tollgate.identity.domain=market.example", "tollgate.identity.uri=https://evil.example/")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("must be an absolute URI at tollgate.identity.domain"));
    }

    @Test
    void anExternalIssuerNeedsItsAudienceAndItsAddressClaim() {
        var configured = runner.withPropertyValues(
                "tollgate.identity.domain=market.example",
                "tollgate.identity.uri=https://market.example/",
                "tollgate.identity.external-issuer=https://login.example/");
        configured.run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("tollgate.identity.external-audience is required"));
        configured
                .withPropertyValues("tollgate.identity.external-audience=market")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("tollgate.identity.external-address-claim is required"));
        configured
                .withPropertyValues(
                        "tollgate.identity.external-audience=market", "tollgate.identity.external-address-claim=wallet")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aConfiguredDomainAndUriStart() {
        runner.withPropertyValues(
                        "tollgate.identity.domain=127.0.0.1:8090", "tollgate.identity.uri=http://127.0.0.1:8090/")
                .run(context -> assertThat(
                                context.getBean(IdentityProperties.class).domain())
                        .isEqualTo("127.0.0.1:8090"));
    }
}
