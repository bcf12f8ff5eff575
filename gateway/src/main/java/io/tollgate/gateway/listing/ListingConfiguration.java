package io.tollgate.gateway.listing;

import io.tollgate.protocol.Address;
import io.tollgate.settings.ChainProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class ListingConfiguration {

    /** Listings and routes from the marketplace, when {@code tollgate.gateway.marketplace.url} is set. */
    @Bean
    @ConditionalOnProperty(prefix = "tollgate.gateway.marketplace", name = "url")
    MarketplaceListings marketplaceListings(
            MarketplaceProperties properties, ChainProperties chain, ApplicationEventPublisher events) {
        String factory = properties.factory() != null
                ? properties.factory()
                : chain.factories().stream().findFirst().orElse(Address.ZERO.value());
        return new MarketplaceListings(WebClient.builder(), properties, factory, events);
    }
}
