package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.marketplace.catalogue.Listing;
import io.tollgate.marketplace.catalogue.ListingRepository;
import io.tollgate.marketplace.catalogue.Provider;
import io.tollgate.marketplace.catalogue.ProviderRepository;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Flyway builds the schema from db/migrations and Hibernate validates it (else the context would not start). */
class SchemaTest extends MarketplaceTestBase {
    static final Wei MAX_UINT256 = new Wei(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ProviderRepository providers;

    @Autowired
    ListingRepository listings;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void everyMigrationInTheRepositoryIsApplied() throws Exception {
        long files;
        try (var migrations = java.nio.file.Files.list(java.nio.file.Path.of("../db/migrations"))) {
            files = migrations
                    .filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .count();
        }
        Integer applied = jdbc.queryForObject(
                "select count(*) from flyway_schema_history where success and version is not null", Integer.class);
        assertThat(applied).isEqualTo((int) files).isGreaterThanOrEqualTo(3);
    }

    @Test
    void amountsKeepAllTheirDigitsUpToUint256() {
        var provider = providers.save(new Provider("round-trip", "Round Trip", "0x" + "ab".repeat(20)));
        listings.save(new Listing(
                "round-trip-api",
                provider,
                "Round trip",
                null,
                "http://127.0.0.1:1",
                null,
                List.of(new Listing.Category(0, "max", MAX_UINT256), new Listing.Category(1, "one", Wei.of(1))),
                List.of(new Listing.Route("GET", "/**", 0))));

        var read = transactions.execute(
                status -> listings.findBySlug("round-trip-api").orElseThrow().categories());
        assertThat(read).extracting(Listing.Category::price).containsExactly(MAX_UINT256, Wei.of(1));
        assertThat(jdbc.queryForObject("select max(price_wei)::text from listing_category", String.class))
                .isEqualTo(MAX_UINT256.toString());
    }

    @Test
    void theDatabaseRefusesAPriceAboveUint256() {
        Long listing = jdbc.queryForObject("select id from listing where slug = 'weather'", Long.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update(
                        "insert into listing_category (listing_id, category, name, price_wei) values (?, 9, 'x', ?)",
                        listing,
                        new java.math.BigDecimal(MAX_UINT256.value().add(BigInteger.ONE))))
                .hasMessageContaining("listing_category_price_wei_check");
    }
}
