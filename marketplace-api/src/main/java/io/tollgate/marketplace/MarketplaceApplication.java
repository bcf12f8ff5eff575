package io.tollgate.marketplace;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The marketplace: catalogue, negotiation, subscriptions, billing and the web UI, on PostgreSQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MarketplaceApplication {
    public static void main(String[] args) {
        SpringApplication.run(MarketplaceApplication.class, args);
    }
}
