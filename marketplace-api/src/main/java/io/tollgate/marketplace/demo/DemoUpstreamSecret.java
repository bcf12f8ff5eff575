package io.tollgate.marketplace.demo;

import io.tollgate.marketplace.catalogue.NewListingSecret;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/** In the demo, listings created on the example upstream get its secret ({@code tollgate.demo.upstream-secret}). */
@Component
@ConditionalOnBooleanProperty("tollgate.demo.enabled")
class DemoUpstreamSecret implements NewListingSecret {
    private final DemoProperties properties;

    DemoUpstreamSecret(DemoProperties properties) {
        this.properties = properties;
    }

    @Override
    public Optional<String> secretFor(String upstreamUrl) {
        String secret = properties.upstreamSecret().value();
        String demo = properties.upstreamUrl().toString().replaceAll("/$", "");
        return secret != null && !secret.isBlank() && (upstreamUrl.equals(demo) || upstreamUrl.startsWith(demo + "/"))
                ? Optional.of(secret)
                : Optional.empty();
    }
}
