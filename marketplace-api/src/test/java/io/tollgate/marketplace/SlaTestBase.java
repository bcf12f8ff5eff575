package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * What the SLA tests share: fresh funded parties, a listing with SLA terms, a subscription's channel created through
 * the marketplace with them, and window reports written exactly as monitors write them.
 */
abstract class SlaTestBase extends ChainTestBase {
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static final Wei MILD = Wei.parse("100000000000000"); // 0.0001 ether
    static final Wei SEVERE = Wei.parse("1000000000000000"); // 0.001 ether

    protected record Party(Credentials key, String address, TransactionManager transactions) {}

    protected Party fresh() {
        try {
            var key = Credentials.create(Keys.createEcKeyPair());
            chain.setBalance(key.getAddress(), ETHER.multiply(BigInteger.TEN));
            return new Party(
                    key,
                    key.getAddress().toLowerCase(Locale.ROOT),
                    new RawTransactionManager(
                            chain.web3j(),
                            key,
                            AnvilNode.CHAIN_ID,
                            new PollingTransactionReceiptProcessor(chain.web3j(), 50, 600)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String listing(String slug, String sla) {
        return """
                {"slug":"%s","name":"Radar","upstreamUrl":"http://upstream.test:18081/",
                 "categories":[{"name":"frame","priceWei":"1000000000000"}],
                 "routes":[{"method":"GET","path":"/radar/**","category":0}]%s}
                """.formatted(slug, sla == null ? "" : ",\"sla\":" + sla);
    }

    static String sla(List<Credentials> monitors, int quorum, long windowSeconds) {
        return """
                {"targetBps":9900,"windowSeconds":%d,"quorum":%d,"collateralWei":"%s","probePath":"/probe",
                 "monitors":[%s],
                 "tiers":[{"belowBps":9900,"penaltyWei":"%s"},{"belowBps":9000,"penaltyWei":"%s"}]}""".formatted(
                windowSeconds,
                quorum,
                SEVERE,
                String.join(
                        ",",
                        monitors.stream().map(m -> "\"" + m.getAddress() + "\"").toList()),
                MILD,
                SEVERE);
    }

    /** A report exactly as a monitor writes it: signed under its key, with what each source observed. */
    void report(String channel, long window, Credentials monitor, int bps, SlaTerms terms) {
        byte[] digest = VoucherSignatures.windowReportDigest(AnvilNode.CHAIN_ID, channel, window, bps);
        jdbc.update(
                """
                insert into sla_report (channel, window_index, monitor, availability_bps, signature, window_start, window_end,
                    observations) values (?, ?, ?, ?, ?, ?, ?, '{"probes":{"good":3,"total":4}}'::jsonb)""",
                channel,
                window,
                monitor.getAddress().toLowerCase(Locale.ROOT),
                bps,
                Numeric.toHexString(VoucherSignatures.sign(digest, monitor.getEcKeyPair())),
                Timestamp.from(terms.windowStart(window)),
                Timestamp.from(terms.windowEnd(window)));
    }

    List<ChannelClient.WindowReport> reportsOf(String channel, long window) {
        return jdbc.query(
                "select availability_bps, signature from sla_report where channel = ? and window_index = ?",
                (rs, n) -> new ChannelClient.WindowReport(rs.getInt(1), Numeric.hexStringToByteArray(rs.getString(2))),
                channel,
                window);
    }

    Instant chainNow() throws Exception {
        return Instant.ofEpochSecond(chain.web3j()
                .ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
                .send()
                .getBlock()
                .getTimestamp()
                .longValueExact());
    }

    /** A channel of a fresh consumer for a fresh provider's listing with SLA terms, through the marketplace. */
    record Subscribed(Party consumer, Party provider, String channel, String slug, List<Credentials> monitors) {}

    /** An offer of a fresh provider's listing with SLA terms that a fresh consumer accepted, not subscribed yet. */
    record Negotiated(
            Party consumer,
            String consumerToken,
            Party provider,
            String slug,
            List<Credentials> monitors,
            long negotiation) {}

    Subscribed subscribe() throws Exception {
        Negotiated n = negotiate();
        Party consumer = n.consumer();
        String consumerToken = n.consumerToken();
        long negotiation = n.negotiation();
        var prepared = prepareSubscription(negotiation, SIGNER.getAddress(), "1000000000000000", consumerToken);
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(201);
        var sent = consumer.transactions()
                .sendTransaction(
                        BigInteger.valueOf(2_000_000_000L),
                        BigInteger.valueOf(5_000_000),
                        JsonPath.read(prepared.body(), "$.to"),
                        JsonPath.read(prepared.body(), "$.data"),
                        new BigInteger(JsonPath.<String>read(prepared.body(), "$.valueWei")));
        var receipt = new PollingTransactionReceiptProcessor(chain.web3j(), 50, 200)
                .waitForTransactionReceipt(sent.getTransactionHash());
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        String channel = activate(subscription, receipt, consumerToken);
        return new Subscribed(consumer, n.provider(), channel, n.slug(), n.monitors());
    }

    /** The channel {@code created} made, activating {@code subscription}; its lower-case address. */
    String activate(
            long subscription,
            org.web3j.protocol.core.methods.response.TransactionReceipt created,
            String consumerToken)
            throws Exception {
        String channel = IntermediaryFactory.getChannelCreatedEvents(created)
                .getFirst()
                .channel
                .toLowerCase(Locale.ROOT);
        var activated = send(
                "POST",
                "/api/subscriptions/" + subscription + "/channel",
                "{\"channel\":\"" + channel + "\"}",
                consumerToken);
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        return channel;
    }

    Negotiated negotiate() throws Exception {
        Party provider = fresh();
        String providerToken = signInAs(provider.key());
        String slug = "sla-" + Long.toString(System.nanoTime(), 36);
        assertThat(send("POST", "/api/providers", "{\"slug\":\"" + slug + "-co\",\"name\":\"SLA Co\"}", providerToken)
                        .statusCode())
                .isEqualTo(201);
        List<Credentials> monitors = List.of(fresh().key(), fresh().key(), fresh().key());
        var created = send("POST", "/api/listings", listing(slug, sla(monitors, 2, 60)), providerToken);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        Party consumer = fresh();
        String consumerToken = signInAs(consumer.key());
        long negotiation = negotiatedAndAccepted(slug, consumerToken, providerToken);
        return new Negotiated(consumer, consumerToken, provider, slug, monitors, negotiation);
    }

    /**
     * The consumer asks for {@code slug} (1e15 wei deposited, 10 requests expected), the provider counters with
     * 1e12 wei a request and the consumer accepts: the negotiation's id.
     */
    long negotiatedAndAccepted(String slug, String consumerToken, String providerToken) throws Exception {
        var asked = send(
                "POST",
                "/api/listings/" + slug + "/negotiations",
                "{\"depositWei\":\"1000000000000000\",\"expectedRequests\":10}",
                consumerToken);
        long negotiation = ((Number) JsonPath.read(asked.body(), "$.id")).longValue();
        send(
                "POST",
                "/api/negotiations/" + negotiation + "/counter",
                "{\"pricesWei\":[\"1000000000000\"]}",
                providerToken);
        assertThat(send("POST", "/api/negotiations/" + negotiation + "/accept", "", consumerToken)
                        .statusCode())
                .isEqualTo(200);
        return negotiation;
    }
}
