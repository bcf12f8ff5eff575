package io.tollgate.marketplace.subscription;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.marketplace.catalogue.ListingSlas;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import tools.jackson.databind.ObjectMapper;

/**
 * From an accepted negotiation to a live channel: the marketplace prepares the factory call for the
 * consumer's wallet (it never holds a consumer key), then verifies the created channel on chain against the
 * accepted offer and the listing's SLA terms before activating the subscription. A channel's first SLA window
 * starts at the next whole minute after the call is prepared.
 */
@Service
public class Subscriptions {
    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private final JdbcTemplate jdbc;
    private final Web3j web3j;
    private final ChainSettings chain;
    private final ListingSlas slas;
    private final ObjectMapper json;
    private final Clock clock;

    Subscriptions(
            JdbcTemplate jdbc,
            Web3j web3j,
            ChainSettings chain,
            ListingSlas slas,
            ObjectMapper json,
            ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.web3j = web3j;
        this.chain = chain;
        this.slas = slas;
        this.json = json;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** The transaction the consumer's wallet signs and sends: {@code createChannel} on the factory. */
    public record PreparedCall(long subscription, long chainId, String to, String data, String valueWei) {}

    /**
     * @param state PENDING until the channel is verified, then ACTIVE
     * @param chainState the channel as the chain indexer last saw it: OPEN, CLOSING or CLOSED (null: not indexed
     *     yet)
     */
    public record View(long id, long negotiation, String state, String signer, String channel, String chainState) {}

    private record Accepted(
            long id, String consumer, String payout, String operator, PriceTable prices, long listingId) {}

    @Transactional
    public PreparedCall prepare(long negotiation, String consumer, String signer, Wei deposit) {
        String factory = factory();
        Accepted accepted = accepted(negotiation, consumer);
        Long id = jdbc
                .query("select id from subscription where negotiation_id = ?", (rs, n) -> rs.getLong(1), negotiation)
                .stream()
                .findFirst()
                .orElseGet(() ->
                        jdbc.queryForObject("""
                        insert into subscription (negotiation_id, consumer_address, signer_address, state)
                        values (?, ?, ?, 'PENDING') returning id""", Long.class, negotiation, consumer, signer.toLowerCase(Locale.ROOT)));
        Optional<ChannelSla> sla = slas.of(accepted.listingId())
                .map(terms -> new ChannelSla(clock.instant().getEpochSecond() / 60 * 60 + 60, terms));
        jdbc.update(
                "update subscription set sla_terms = ?::jsonb where id = ?",
                sla.map(json::writeValueAsString).orElse(null),
                id);
        var params = new IntermediaryFactory.Params(
                consumer,
                signer,
                accepted.payout(),
                accepted.operator(),
                ZERO,
                accepted.prices().prices().stream().map(Wei::value).toList(),
                BigInteger.valueOf(chain.tolerance().toSeconds()),
                BigInteger.valueOf(chain.closeDelay().toSeconds()),
                sla.map(ChannelSla::onChain).orElseGet(SlaTerms::none).toFactory());
        String data = IntermediaryFactory.load(
                        factory, web3j, new ReadonlyTransactionManager(web3j, consumer), new DefaultGasProvider())
                .createChannel(params, deposit.value())
                .encodeFunctionCall();
        return new PreparedCall(id, chain.chainId(), factory, data, deposit.toString());
    }

    /** Verifies {@code channel} on chain against the accepted offer and activates the subscription. */
    @Transactional
    public View activate(long subscription, String consumer, String channel) {
        var rows = jdbc.query(
                "select negotiation_id, signer_address, state, sla_terms::text from subscription where id = ? and consumer_address = ?",
                (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)},
                subscription,
                consumer);
        if (rows.isEmpty()) {
            throw new ApiProblem(ProblemType.NOT_FOUND, "no subscription " + subscription + " of yours", Map.of());
        }
        long negotiation = (Long) rows.getFirst()[0];
        String signer = (String) rows.getFirst()[1];
        Accepted accepted = accepted(negotiation, consumer);
        String address = channel.toLowerCase(Locale.ROOT);
        if (!ChannelClient.hasCode(web3j, address) || !ChannelClient.createdBy(web3j, factory(), address)) {
            throw refused(subscription, "channel " + address + " was not created by the factory " + factory());
        }
        var client = ChannelClient.readOnly(web3j, address);
        var parties = client.parties();
        var state = client.state();
        check(subscription, "owner", parties.owner(), consumer);
        check(subscription, "payout", parties.payout(), accepted.payout());
        check(subscription, "signer", state.signer(), signer);
        check(subscription, "token", parties.token(), ZERO);
        PriceTable onChain = client.pricesOf(1);
        if (!onChain.equals(accepted.prices())) {
            throw refused(
                    subscription,
                    "the channel's prices " + onChain.decimals() + " are not the accepted "
                            + accepted.prices().decimals());
        }
        SlaTerms prepared = rows.getFirst()[3] == null
                ? SlaTerms.none()
                : json.readValue((String) rows.getFirst()[3], ChannelSla.class).onChain();
        SlaTerms sla = client.slaTerms();
        if (!sla.equals(prepared)) {
            throw refused(subscription, "the channel's SLA terms " + sla + " are not the prepared " + prepared);
        }
        jdbc.update(
                "update subscription set state = 'ACTIVE', channel_address = ?, activated_at = now() where id = ?",
                address,
                subscription);
        return new View(subscription, negotiation, "ACTIVE", signer, address, null);
    }

    @Transactional(readOnly = true)
    public List<View> mine(String consumer) {
        return jdbc.query(
                """
                select s.id, s.negotiation_id, s.state, s.signer_address, s.channel_address, c.state
                from subscription s left join chain_channel c on c.channel = s.channel_address
                where s.consumer_address = ? order by s.id""",
                (rs, n) -> new View(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6)),
                consumer);
    }

    private Accepted accepted(long negotiation, String consumer) {
        var rows = jdbc.query(
                """
                select n.id, n.consumer_address, n.state, p.payout_address, coalesce(p.operator_address, p.payout_address),
                       n.prices_wei::text[], l.id
                from negotiation n join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                where n.id = ? and n.consumer_address = ?""",
                (rs, n) -> new Object[] {
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    (String[]) rs.getArray(6).getArray(),
                    rs.getLong(7)
                },
                negotiation,
                consumer);
        if (rows.isEmpty()) {
            throw new ApiProblem(ProblemType.NOT_FOUND, "no negotiation " + negotiation + " of yours", Map.of());
        }
        Object[] row = rows.getFirst();
        if (!"ACCEPTED".equals(row[2])) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "negotiation " + negotiation + " is " + row[2] + ": only an accepted offer can be subscribed to",
                    Map.of("negotiation", negotiation, "state", row[2]));
        }
        return new Accepted(
                (Long) row[0],
                (String) row[1],
                (String) row[3],
                (String) row[4],
                new PriceTable(Arrays.stream((String[]) row[5]).map(Wei::parse).toList()),
                (Long) row[6]);
    }

    private String factory() {
        if (chain.factory() == null || chain.factory().isBlank()) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "this marketplace has no factory configured (tollgate.chain.factory): subscriptions are off",
                    Map.of());
        }
        return chain.factory().toLowerCase(Locale.ROOT);
    }

    private static void check(long subscription, String what, String actual, String expected) {
        if (!actual.equalsIgnoreCase(expected)) {
            throw refused(subscription, "the channel's " + what + " is " + actual + ", not " + expected);
        }
    }

    private static ApiProblem refused(long subscription, String why) {
        return new ApiProblem(ProblemType.CONFLICT, why, Map.of("subscription", subscription));
    }
}
