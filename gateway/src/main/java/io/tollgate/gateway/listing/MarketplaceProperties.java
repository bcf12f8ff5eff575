package io.tollgate.gateway.listing;

import io.tollgate.settings.Secret;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Where the gateway learns listings, their routes and each channel's agreed terms.
 *
 * @param url the marketplace's base URL; none: listings come from configuration only
 * @param pollInterval how often {@code /api/gateway/routes} is polled; a new listing is routable after it
 * @param factory the factory channels of marketplace listings must come from (default: the first trusted one)
 * @param credential the gateway credential sent as {@code Authorization: Bearer …} on every {@code
 *     /api/gateway/**} call (the marketplace's {@code tollgate.gateways.credential}); never logged. Pass it through
 *     the environment ({@code TOLLGATE_GATEWAY_MARKETPLACE_CREDENTIAL}).
 * @param termsRefresh how old a confirmed channel's agreed terms get before a request refreshes them in the
 *     background
 * @param notSubscribedRetry how long a channel the marketplace does not know is refused before it is asked again
 * @param requestTimeout how long a call to the marketplace may take before it counts as unavailable
 */
@Validated
@ConfigurationProperties("tollgate.gateway.marketplace")
public record MarketplaceProperties(
        URI url,
        @DefaultValue("10s") Duration pollInterval,
        String factory,
        @DefaultValue("") Secret credential,
        @DefaultValue("60s") Duration termsRefresh,
        @DefaultValue("5s") Duration notSubscribedRetry,
        @DefaultValue("3s") Duration requestTimeout) {

    /** A client of the marketplace that sends the gateway credential, when one is set. */
    public static WebClient.Builder authorized(WebClient.Builder web, MarketplaceProperties properties) {
        var builder = web.baseUrl(properties.url().toString());
        if (properties.credential().isSet()) {
            builder = builder.defaultHeader(
                    HttpHeaders.AUTHORIZATION,
                    "Bearer " + properties.credential().value());
        }
        return builder;
    }
}
