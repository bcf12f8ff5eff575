package io.tollgate.marketplace.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.demo.DemoChain;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.DemoState;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.marketplace.MarketplaceTestBase;
import io.tollgate.marketplace.catalogue.ListingRepository;
import io.tollgate.marketplace.catalogue.ListingSlas;
import io.tollgate.marketplace.catalogue.ListingVersions;
import io.tollgate.marketplace.catalogue.ProviderRepository;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo data on a demo chain of its own (anvil, set up by {@link DemoChain}): the fx-rates listing priced in the
 * demo dollar (its token's address, symbol and decimals), the USD channel as the demo consumer's active subscription
 * with the token and the week of usage the chain claimed, exact to the base unit. What it seeds is removed after,
 * so the shared catalogue of the other tests stays as the plain demo seeds it.
 */
class DemoDataTest extends MarketplaceTestBase {
    @TempDir
    Path dir;

    @Autowired
    ProviderRepository providers;

    @Autowired
    ListingRepository listings;

    @Autowired
    ListingVersions versions;

    @Autowired
    ListingSlas slas;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theFxRatesListingIsPricedInTheDemoDollarAndTheUsdChannelIsASubscriptionWithAHistory() throws Exception {
        try (var chain = AnvilNode.start()) {
            // fresh contract and channel addresses: the shared test database keeps other tests' channels, and a fresh
            // anvil would otherwise give this demo chain's channels the addresses an earlier test's channels had
            OnChainFixtures.freshDeployerNonce(chain);
            Path stateFile = dir.resolve("demo.properties");
            var state = DemoState.setUp(chain, stateFile);
            String usd = state.getProperty("DEMO_USD").toLowerCase(Locale.ROOT);
            String channel = state.getProperty("USD_CHANNEL").toLowerCase(Locale.ROOT);
            var properties = new DemoProperties(
                    true, URI.create("http://127.0.0.1:18081"), new Secret(""), null, null, usd, channel);
            var demo = new DemoData(
                    providers, listings, versions, slas, properties, jdbc, chain.web3j(), Clock.systemUTC());
            try {
                transactions.executeWithoutResult(status -> demo.run(null));
                transactions.executeWithoutResult(status -> demo.run(null)); // idempotent: nothing added twice

                transactions.executeWithoutResult(status -> {
                    var listing = listings.findBySlug("fx-rates").orElseThrow();
                    assertThat(listing.unit()).isEqualTo(new TokenUnit("USDT-demo", 6));
                    assertThat(listing.tokenAddress()).isEqualTo(usd);
                    assertThat(listing.listPrices().prices()).containsExactly(Wei.of(1_000), Wei.of(2_000));
                    assertThat(listing.unit()
                                    .describe(listing.listPrices()
                                            .prices()
                                            .getFirst()
                                            .value()))
                            .isEqualTo("0.001 USDT-demo");
                    assertThat(listing.provider().operatorAddress())
                            .isEqualTo("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
                });

                assertThat(jdbc.queryForList("""
                                select s.state || ' ' || s.token_address || ' ' || n.prices_wei::text
                                from subscription s join negotiation n on n.id = s.negotiation_id
                                where s.channel_address = ?""", String.class, channel))
                        .containsExactly("ACTIVE " + usd + " {1000,2000}");
                // the epoch 1 the demo chain claimed: 120 rates and 30 weeks, 0.18 USDT-demo
                assertThat(jdbc.queryForList("""
                                select category || ':' || sum(requests) || ':' || sum(value_wei)
                                from gateway_usage_minute where channel = ? and listing_id = 'fx-rates' and epoch = 1
                                group by category order by category""", String.class, channel))
                        .isEqualTo(List.of("0:120:120000", "1:30:60000"));
            } finally {
                remove(channel);
            }
        }
    }

    private void remove(String channel) {
        jdbc.update("delete from gateway_usage_minute where channel = ?", channel);
        Long negotiation = jdbc.query(
                "select negotiation_id from subscription where channel_address = ?",
                rs -> rs.next() ? rs.getLong(1) : null,
                channel);
        // the marketplace may have offered the subscription an upgrade meanwhile (its background loop runs)
        jdbc.update(
                "delete from upgrade_offer where subscription_id in (select id from subscription where channel_address = ?)",
                channel);
        jdbc.update("delete from subscription where channel_address = ?", channel);
        if (negotiation != null) {
            jdbc.update("delete from negotiation where id = ?", negotiation);
        }
        transactions.executeWithoutResult(status -> {
            // listing versions are immutable (a trigger refuses deletes): this test's own seed is removed with
            // triggers off for that one statement, in this transaction only
            jdbc.execute("set local session_replication_role = replica");
            jdbc.update(
                    "delete from listing_version where listing_id in (select id from listing where slug = 'fx-rates')");
            jdbc.execute("set local session_replication_role = origin");
            jdbc.update("delete from listing where slug = 'fx-rates'");
            jdbc.update("delete from provider where slug = 'ledgerline-fx'");
        });
    }
}
