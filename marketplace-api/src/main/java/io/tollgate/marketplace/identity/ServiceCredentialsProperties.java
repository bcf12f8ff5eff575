package io.tollgate.marketplace.identity;

import io.tollgate.settings.Secret;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The credentials of the services that read the feeds ({@link ServiceCredentials}).
 *
 * @param gateways {@code tollgate.gateways.credential}: the gateways' credential; none: only operators read it
 * @param monitors {@code tollgate.monitors.credential}: the monitors' credential; none: only operators read it
 */
@ConfigurationProperties("tollgate")
record ServiceCredentialsProperties(
        @DefaultValue Service gateways, @DefaultValue Service monitors) {
    /** @param credential the bearer credential the service presents */
    record Service(@DefaultValue("") Secret credential) {}
}
