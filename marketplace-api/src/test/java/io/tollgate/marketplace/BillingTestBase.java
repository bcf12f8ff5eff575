package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SignedVoucher;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the billing tests share: fresh parties with their own keys (so figures are exact), ether and demo-dollar
 * channels on the real chain, a listing priced in the demo dollar written with SQL, usage rows as the gateway writes
 * them, and readers of a statement's per-token totals.
 */
abstract class BillingTestBase extends ChainTestBase {
    Party provider(String slug) throws Exception {
        Party p = fresh();
        var registered = send(
                "POST", "/api/providers", "{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\"}", signInAs(p.key()));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return p;
    }

    ChannelClient channel(Party consumer, Party provider, Wei deposit) {
        var terms = new ChannelTerms(
                consumer.address(),
                SIGNER.getAddress(),
                provider.address(),
                CHANNEL_OPERATOR.getAddress(),
                Optional.empty(),
                PRICES,
                Duration.ofSeconds(60),
                Duration.ofSeconds(600));
        return FactoryClient.create(chain.web3j(), consumer.transactions(), deployment.factory(), terms, deposit);
    }

    /** A usage row exactly as the gateway's batching writer upserts it. */
    void usage(String channel, Instant minute, long epoch, int category, long requests, BigInteger value) {
        usage("weather", channel, minute, epoch, category, requests, value);
    }

    /** A usage row of {@code listing} exactly as the gateway's batching writer upserts it. */
    void usage(
            String listing, String channel, Instant minute, long epoch, int category, long requests, BigInteger value) {
        jdbc.update(
                """
                insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei, status_2xx)
                values (?, ?, ?, ?, ?, ?, ?, ?)""",
                Timestamp.from(minute.truncatedTo(ChronoUnit.MINUTES)),
                listing,
                channel,
                epoch,
                category,
                requests,
                new BigDecimal(value),
                requests);
    }

    SignedVoucher voucher(ChannelClient channel, long epoch, int category, long count) {
        byte[] digest = VoucherSignatures.voucherDigest(
                AnvilNode.CHAIN_ID, channel.address(), epoch, category, count, PRICES.hash());
        return new SignedVoucher(category, count, count, VoucherSignatures.sign(digest, SIGNER.getEcKeyPair()));
    }

    HttpResponse<String> statement(String query, String token) throws Exception {
        Instant now = Instant.now();
        return send(
                "GET",
                "/api/billing/statement?from=" + now.minus(Duration.ofDays(1)) + "&to=" + now.plus(Duration.ofHours(1))
                        + query,
                "",
                token);
    }

    /** The figure at {@code path} of the statement's ether total (there is exactly one). */
    static String inEther(String body, String path) {
        List<String> values = JsonPath.read(body, "$.totals[?(@.token.symbol == 'ETH')]." + path);
        assertThat(values).as("one ether total in " + body).hasSize(1);
        return values.getFirst();
    }

    /** The CSV columns value_wei, token, token_address and value of an ether figure. */
    static String inEtherColumns(BigInteger wei) {
        return wei + ",ETH,0x0000000000000000000000000000000000000000," + TokenUnit.ETHER.format(wei);
    }

    static BigInteger price(int category, long count) {
        return PRICES.cost(category, count).value();
    }

    /** The demo dollar (6 decimals, permit), deployed once for the tests that need a token. */
    static String usd;

    static synchronized String usd() {
        if (usd == null) {
            usd = TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(0))
                    .toLowerCase(Locale.ROOT);
        }
        return usd;
    }

    /**
     * A listing of {@code provider} priced in the demo dollar, written with SQL as the catalogue stores one (token
     * address, symbol and decimals): one category "call" at 1000 base units (0.001 USDT-demo).
     */
    void dollarListing(String slug, String providerSlug) {
        jdbc.update("""
                insert into listing (slug, provider_id, name, upstream_url, upstream_secret, token_address, token_symbol,
                                     token_decimals)
                select ?, id, ?, 'https://upstream.test/', repeat('ab', 32), ?, 'USDT-demo', 6 from provider where slug = ?""", slug, slug, usd(), providerSlug);
        jdbc.update("""
                insert into listing_category (listing_id, category, name, price_wei)
                select id, 0, 'call', 1000 from listing where slug = ?""", slug);
    }

    /** {@code consumer}'s channel to {@code provider} in the demo dollar, created and funded with one permit. */
    ChannelClient dollarChannel(Party consumer, Party provider, BigInteger deposit) throws Exception {
        TokenPermits.faucet(chain.web3j(), consumer.transactions(), usd(), new Wei(deposit));
        var terms = new ChannelTerms(
                consumer.address(),
                SIGNER.getAddress(),
                provider.address(),
                CHANNEL_OPERATOR.getAddress(),
                Optional.of(usd()),
                PRICES,
                Duration.ofSeconds(60),
                Duration.ofSeconds(600));
        return OnChainFixtures.permitChannel(
                chain, deployment.factory(), consumer.key(), consumer.transactions(), terms, new Wei(deposit));
    }

    /** The figure at {@code path} of the statement's total in {@code token} (there is exactly one). */
    static String in(String token, String body, String path) {
        List<String> values = JsonPath.read(body, "$.totals[?(@.token.address == '" + token + "')]." + path);
        assertThat(values).as("one total in " + token + " in " + body).hasSize(1);
        return values.getFirst();
    }
}
