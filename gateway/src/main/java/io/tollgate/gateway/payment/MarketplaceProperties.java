package io.tollgate.gateway.payment;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the gateway learns listings and their routes.
 *
 * @param url the marketplace's base URL; none: listings come from configuration only
 * @param pollInterval how often {@code /api/gateway/routes} is polled; a new listing is routable after it
 * @param factory the factory channels of marketplace listings must come from (default: the first trusted one)
 */
@ConfigurationProperties("tollgate.gateway.marketplace")
public record MarketplaceProperties(
        URI url, @DefaultValue("10s") Duration pollInterval, String factory) {}
