package io.tollgate.marketplace.demo;

import io.tollgate.marketplace.catalogue.Listing;
import io.tollgate.marketplace.catalogue.Listing.Category;
import io.tollgate.marketplace.catalogue.Listing.Route;
import io.tollgate.marketplace.catalogue.ListingRepository;
import io.tollgate.marketplace.catalogue.ListingVersions;
import io.tollgate.marketplace.catalogue.Provider;
import io.tollgate.marketplace.catalogue.ProviderRepository;
import io.tollgate.pricing.Wei;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seeds the demo catalogue: two providers with listings of several categories on the example upstream.
 * Payout addresses are anvil's public test accounts 2 and 3. Runs at every start; adds only what is missing,
 * each seeded listing with its version 1 (no author: the marketplace wrote it).
 */
@Component
@ConditionalOnBooleanProperty("tollgate.demo.enabled")
class DemoData implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final ProviderRepository providers;
    private final ListingRepository listings;
    private final ListingVersions versions;
    private final DemoProperties properties;

    DemoData(
            ProviderRepository providers,
            ListingRepository listings,
            ListingVersions versions,
            DemoProperties properties) {
        this.providers = providers;
        this.listings = listings;
        this.versions = versions;
        this.properties = properties;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        String upstream = properties.upstreamUrl().toString().replaceAll("/$", "");
        Provider weather = provider("acme-weather", "Acme Weather", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
        Provider markets =
                provider("quotient-markets", "Quotient Markets", "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        listing(new Listing(
                "weather",
                weather,
                "Weather now and forecast",
                "Current conditions and a three-day forecast for any city.",
                upstream,
                upstream + "/health",
                List.of(
                        new Category(0, "current", Wei.parse("1000000000000")),
                        new Category(1, "forecast", Wei.parse("2500000000000"))),
                List.of(new Route("GET", "/weather/**", 0), new Route("GET", "/forecast/**", 1))));
        listing(new Listing(
                "quotes",
                markets,
                "Market quotes",
                "Delayed quotes by symbol, and translations of market news.",
                upstream,
                null,
                List.of(
                        new Category(0, "quote", Wei.parse("500000000000")),
                        new Category(1, "translate", Wei.parse("4000000000000")),
                        new Category(2, "bulk", Wei.parse("20000000000000"))),
                List.of(
                        new Route("GET", "/quotes/**", 0),
                        new Route("POST", "/translate", 1),
                        new Route("POST", "/quotes/bulk", 2))));
    }

    private Provider provider(String slug, String name, String payout) {
        return providers.findBySlug(slug).orElseGet(() -> providers.save(new Provider(slug, name, payout)));
    }

    private void listing(Listing listing) {
        if (listings.findBySlug(listing.slug()).isEmpty()) {
            listings.saveAndFlush(listing);
            // written by the marketplace itself, not by a signed-in provider: no author
            versions.record(listing.id(), null);
            log.info("demo listing '{}' seeded", listing.slug());
        }
    }
}
