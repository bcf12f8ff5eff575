package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Selenide;
import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * What the SLA tests share: fresh funded parties, a listing with SLA terms, a subscription's channel created through
 * the marketplace with them, and window reports written exactly as monitors write them.
 */
abstract class SlaTestBase extends ChainTestBase {
    static final Wei MILD = Wei.parse("100000000000000"); // 0.0001 ether
    static final Wei SEVERE = Wei.parse("1000000000000000"); // 0.001 ether

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

    Instant chainNow() {
        return OnChainFixtures.chainTime(chain);
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
        var receipt = sendPrepared(consumer.transactions(), 5_000_000, prepared);
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        String channel = activate(subscription, receipt, consumerToken);
        return new Subscribed(consumer, n.provider(), channel, n.slug(), n.monitors());
    }

    /** Signs in through the API and hands the session to the page (Selenide's browser), as the sign-in page would. */
    void signInInBrowser(Credentials who) throws Exception {
        String token = signInAs(who);
        String me = send("GET", "/api/me", "", token).body();
        Selenide.open(uri("/").toString());
        Selenide.executeJavaScript(
                "sessionStorage.setItem('tollgate.session', JSON.stringify({token: arguments[0], address: arguments[1],"
                        + " roles: arguments[2], expiresAt: new Date(Date.now() + 600000).toISOString()}))",
                token,
                JsonPath.<String>read(me, "$.address"),
                JsonPath.read(me, "$.roles"));
    }

    /**
     * Moves the chain past {@code after} (when it is not already) and submits the reports of {@code windows} as
     * anvil account 5, then lets the indexer catch up.
     */
    void submitAfter(String channel, Instant after, int... windows) throws Exception {
        if (chainNow().isBefore(after)) {
            chain.increaseTime(Duration.between(chainNow(), after).plusSeconds(1));
        }
        var submitter = new ChannelClient(chain.web3j(), channel, chain.transactionManager(5), BigInteger.TEN.pow(12));
        for (int window : windows) {
            submitter.reportWindow(window, reportsOf(channel, window));
        }
        catchUp(indexer(0));
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
        var activated = postChannel(subscription, channel, consumerToken);
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
