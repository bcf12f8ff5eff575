package io.tollgate.marketplace.demo;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.demo.DemoChain;
import io.tollgate.marketplace.catalogue.Listing;
import io.tollgate.marketplace.catalogue.Listing.Category;
import io.tollgate.marketplace.catalogue.Listing.Route;
import io.tollgate.marketplace.catalogue.ListingCommand;
import io.tollgate.marketplace.catalogue.ListingRepository;
import io.tollgate.marketplace.catalogue.ListingSlas;
import io.tollgate.marketplace.catalogue.ListingVersions;
import io.tollgate.marketplace.catalogue.Provider;
import io.tollgate.marketplace.catalogue.ProviderRepository;
import io.tollgate.marketplace.negotiation.NegotiationState;
import io.tollgate.marketplace.subscription.SubscriptionState;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.web3j.protocol.Web3j;

/**
 * Seeds the demo catalogue: two providers with listings of several categories on the example upstream; the weather
 * listing has SLA terms (99 % per minute, three tiers, the demo's three monitor keys, two of them a quorum).
 * Payout addresses are anvil's public test accounts 2 and 3; Acme Weather's gateway redeems with account 4, the
 * demo gateway's operator key. With a history channel, also two weeks of the demo consumer's usage of it. With the
 * demo dollar's address, a third provider, Ledgerline FX, and its fx-rates listing priced in the demo dollar (0.001
 * and 0.002 USDT-demo a call), redeemed by the demo gateway's key as Acme's; with the USD channel, that channel as
 * the demo consumer's subscription and a week of its usage (the epoch 1 the demo chain claimed). Runs
 * at every start; adds only what is missing, each seeded listing with its version 1 (no author: the marketplace
 * wrote it).
 */
@Component
@ConditionalOnBooleanProperty("tollgate.demo.enabled")
class DemoData implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    /** The demo dollar's unit, as DemoUsd (contracts/src/main/solidity/DemoUsd.sol) declares it. */
    static final TokenUnit USD = new TokenUnit("USDT-demo", 6);

    private final ProviderRepository providers;
    private final ListingRepository listings;
    private final ListingVersions versions;
    private final ListingSlas slas;
    private final DemoProperties properties;
    private final JdbcTemplate jdbc;
    private final Web3j web3j;
    private final Clock clock;

    /**
     * The demo monitors' addresses: of the openly insecure private keys 1, 2 and 3 that scripts/demo.sh gives its
     * monitor. Never for real money.
     */
    static final List<String> MONITORS = List.of(
            "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf",
            "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf",
            "0x6813eb9362372eef6200f3b1dbc3f819671cba69");

    /** The weather listing's SLA: 99 % per one-minute window; below it 0.0001, 0.0005 or 0.001 ether. */
    static final ListingCommand.SlaCommand WEATHER_SLA = new ListingCommand.SlaCommand(
            9900,
            60,
            List.of(
                    new ListingCommand.TierCommand(9900, "100000000000000"),
                    new ListingCommand.TierCommand(9500, "500000000000000"),
                    new ListingCommand.TierCommand(9000, "1000000000000000")),
            MONITORS,
            2,
            "10000000000000000",
            "/probe");

    DemoData(
            ProviderRepository providers,
            ListingRepository listings,
            ListingVersions versions,
            ListingSlas slas,
            DemoProperties properties,
            JdbcTemplate jdbc,
            Web3j web3j,
            Clock clock) {
        this.providers = providers;
        this.listings = listings;
        this.versions = versions;
        this.slas = slas;
        this.properties = properties;
        this.jdbc = jdbc;
        this.web3j = web3j;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        String upstream = properties.upstreamUrl().toString().replaceAll("/$", "");
        Provider weather = provider("acme-weather", "Acme Weather", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
        Provider markets =
                provider("quotient-markets", "Quotient Markets", "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        // the demo gateway holds anvil's account 4 as its operator key: channels to Acme name it, so it redeems
        jdbc.update(
                "update provider set operator_address = ? where slug = 'acme-weather' and operator_address is null",
                "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
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
        listings.findBySlug("weather").ifPresent(weatherListing -> {
            if (slas.of(weatherListing.id()).isEmpty()) {
                slas.replace(weatherListing.id(), WEATHER_SLA);
                versions.record(weatherListing.id(), null);
                log.info("demo listing 'weather' has SLA terms now");
            }
        });
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
        boolean usd = present(properties.usdToken());
        if (usd) {
            fxRates(upstream);
        }
        if (properties.upstreamSecret().isSet()) {
            // the example upstream is started with this secret and refuses requests without it
            jdbc.update(
                    "update listing set upstream_secret = ? where slug in ('weather', 'quotes', 'fx-rates')",
                    properties.upstreamSecret().value());
        }
        if (properties.historyChannel() != null && !properties.historyChannel().isBlank()) {
            history(properties.historyChannel().toLowerCase(Locale.ROOT));
            subscription("quotes", properties.historyChannel().toLowerCase(Locale.ROOT));
        }
        if (properties.channel() != null && !properties.channel().isBlank()) {
            subscription("weather", properties.channel().toLowerCase(Locale.ROOT));
        }
        if (usd && present(properties.usdChannel())) {
            String channel = properties.usdChannel().toLowerCase(Locale.ROOT);
            usage(
                    "fx-rates",
                    channel,
                    DemoChain.USD_HISTORY_COUNTS,
                    DemoChain.FX_PRICES.prices().stream()
                            .mapToLong(p -> p.value().longValueExact())
                            .toArray(),
                    Duration.ofDays(7));
            subscription("fx-rates", channel);
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * Ledgerline FX (payout: anvil's public test account 6; operator: account 4, the demo gateway's key) and its
     * fx-rates listing, priced in the demo dollar: the listing's token, symbol and decimals are set beside the
     * entity, as the seeded upstream secrets are. DemoUsd is the demo's own contract, so its symbol and decimals
     * are known ({@link #USD}).
     */
    private void fxRates(String upstream) {
        Provider fx = provider("ledgerline-fx", "Ledgerline FX", DemoChain.FX_PROVIDER_PAYOUT);
        jdbc.update(
                "update provider set operator_address = ? where slug = 'ledgerline-fx' and operator_address is null",
                "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
        var prices = DemoChain.FX_PRICES.prices();
        listing(new Listing(
                "fx-rates",
                fx,
                "FX rates",
                "Exchange rates by currency pair, and their last seven days; priced in the demo dollar.",
                upstream,
                null,
                List.of(new Category(0, "rate", prices.get(0)), new Category(1, "history", prices.get(1))),
                List.of(new Route("GET", "/fx/rates/**", 0), new Route("GET", "/fx/history/**", 1))));
        jdbc.update("""
                update listing set token_address = ?, token_symbol = ?, token_decimals = ?
                where slug = 'fx-rates' and token_address is null""", properties.usdToken().toLowerCase(Locale.ROOT), USD.symbol(), USD.decimals());
    }

    /**
     * The demo chain's channel as its consumer's active subscription of {@code slug}: an accepted negotiation at
     * the prices the channel holds and the agreed terms read from the chain (the demo chain made these channels
     * before the marketplace ran, without SLA terms), so that gateways admit it as they admit a channel the web UI
     * subscribed.
     */
    private void subscription(String slug, String channel) {
        Integer known = jdbc.queryForObject(
                "select count(*) from subscription where channel_address = ?", Integer.class, channel);
        if (known != null && known > 0) {
            return;
        }
        var client = ChannelClient.readOnly(web3j, channel);
        var parties = client.parties();
        var state = client.state();
        String prices = "{" + String.join(",", client.pricesOf(1).decimals()) + "}";
        Long negotiation = jdbc.queryForObject(
                """
                insert into negotiation (listing_id, consumer_address, state, deposit_wei, expected_requests, prices_wei,
                                         expires_at)
                select id, ?, ?, 0, 0, ?::numeric[], now() from listing where slug = ? returning id""",
                Long.class,
                parties.owner().toLowerCase(Locale.ROOT),
                NegotiationState.ACCEPTED.name(),
                prices,
                slug);
        jdbc.update(
                """
                insert into subscription (negotiation_id, consumer_address, signer_address, state, channel_address,
                                          activated_at, token_address, redeem_window_seconds, close_delay_seconds)
                values (?, ?, ?, ?, ?, now(), ?, ?, ?)""",
                negotiation,
                parties.owner().toLowerCase(Locale.ROOT),
                state.signer().toLowerCase(Locale.ROOT),
                SubscriptionState.ACTIVE.name(),
                channel,
                parties.token().toLowerCase(Locale.ROOT),
                parties.tolerance().toSeconds(),
                parties.closeDelay().toSeconds());
        log.info("demo subscription: channel {} of listing '{}'", channel, slug);
    }

    /**
     * The gateway's usage rows of the history channel's epoch 1 (quotes listing), spread evenly over the last 14
     * days: per category exactly {@link DemoChain#HISTORY_COUNTS}, the counts the demo chain redeemed.
     */
    private void history(String channel) {
        usage(
                "quotes",
                channel,
                DemoChain.HISTORY_COUNTS,
                new long[] {500_000_000_000L, 4_000_000_000_000L, 20_000_000_000_000L},
                Duration.ofDays(14));
    }

    /**
     * The gateway's usage rows of {@code channel}'s epoch 1 on {@code listing}, spread evenly over the last {@code
     * over}: per category exactly {@code counts} (what the demo chain redeemed or claimed), valued at {@code prices}
     * (the listing's unit: wei or the token's smallest unit). Only when the channel has no rows yet.
     */
    private void usage(String listing, String channel, long[] counts, long[] prices, Duration over) {
        Integer present = jdbc.queryForObject(
                "select count(*) from gateway_usage_minute where channel = ?", Integer.class, channel);
        if (present != null && present > 0) {
            return;
        }
        Instant end = clock.instant().truncatedTo(ChronoUnit.HOURS);
        long span = over.toMinutes();
        Map<String, long[]> rows = new TreeMap<>();
        for (int category = 0; category < counts.length; category++) {
            long count = counts[category];
            for (long i = 0; i < count; i++) {
                long minute = span * i / count + (category * 7L) % 60;
                rows.computeIfAbsent(minute + "/" + category, k -> new long[1])[0]++;
            }
        }
        rows.forEach((key, requests) -> {
            long minute = Long.parseLong(key.substring(0, key.indexOf('/')));
            int category = Integer.parseInt(key.substring(key.indexOf('/') + 1));
            jdbc.update(
                    """
                    insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei,
                        status_2xx, latency_sum_us, latency_max_us)
                    values (?, ?, ?, 1, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                    Timestamp.from(end.minus(Duration.ofMinutes(span - minute))),
                    listing,
                    channel,
                    category,
                    requests[0],
                    BigDecimal.valueOf(prices[category]).multiply(BigDecimal.valueOf(requests[0])),
                    requests[0],
                    requests[0] * 42_000,
                    61_000);
        });
        log.info("demo history: {} usage rows of channel {} over the last {}", rows.size(), channel, over);
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
