package io.tollgate.marketplace.subscription;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.marketplace.catalogue.ListingSlas;
import io.tollgate.marketplace.catalogue.SlaView;
import io.tollgate.marketplace.chain.ChannelState;
import io.tollgate.marketplace.negotiation.NegotiationState;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.web3j.protocol.Web3j;
import tools.jackson.databind.ObjectMapper;

/**
 * From an accepted negotiation to a live channel: the marketplace prepares the factory call for the
 * consumer's wallet (it never holds a consumer key), then verifies the created channel on chain against every
 * agreed term (owner, signer, payout, operator, token, epoch-1 prices = the accepted offer, T_r, T_c, SLA terms)
 * before activating the subscription; gateways serve a channel only as such a verified subscription of its listing
 * ({@code GET /api/gateway/channels/{address}}). On release 2 (the factory's latest release) a channel's SLA
 * windows start at its creation and the call carries the listing's report period; on release 1 the first window
 * started at the next whole minute after the call was prepared. A channel created outside the web UI is registered by its consumer ({@link #register}) and
 * verified the same way.
 */
@Service
public class Subscriptions {
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    private static final String CREATE = "create-channel";

    private final JdbcTemplate jdbc;
    private final Web3j web3j;
    private final ChainProperties chain;
    private final ListingSlas slas;
    private final ObjectMapper json;
    private final Clock clock;
    private final FactoryPermits permits;

    Subscriptions(
            JdbcTemplate jdbc,
            Web3j web3j,
            ChainProperties chain,
            ListingSlas slas,
            ObjectMapper json,
            Clock clock,
            FactoryPermits permits) {
        this.permits = permits;
        this.jdbc = jdbc;
        this.web3j = web3j;
        this.chain = chain;
        this.slas = slas;
        this.json = json;
        this.clock = clock;
    }

    /**
     * What the consumer's wallet does to create and fund the channel, in {@code steps}. An ether listing: one
     * transaction, {@code createChannel} on the factory with the deposit as value, which {@code to}, {@code data}
     * and {@code valueWei} also give (as before tokens). A token listing ({@code to}, {@code data} null): where the
     * token takes EIP-2612 permits, one permit to sign (posted to {@code /api/subscriptions/{id}/permit}, which
     * answers the one {@code createChannelWithPermit} transaction); otherwise {@code approve} on the token for the
     * factory, then {@code createChannelWithPermit} without a permit (the factory takes the approved amount).
     *
     * @param deposit the deposit in the token's smallest unit (wei for ether)
     */
    public record PreparedCall(
            long subscription,
            long chainId,
            @Nullable String to,
            @Nullable String data,
            String valueWei,
            Token token,
            String deposit,
            List<FundingStep> steps) {}

    /** The listing's money: ether (the zero address, ETH, 18) or its ERC-20's address, symbol and decimals. */
    public record Token(String address, String symbol, int decimals) {
        static Token of(String address, TokenUnit unit) {
            return new Token(address.toLowerCase(Locale.ROOT), unit.symbol(), unit.decimals());
        }

        boolean ether() {
            return ZERO.equals(address);
        }

        TokenUnit unit() {
            return new TokenUnit(symbol, decimals);
        }
    }

    /**
     * @param chainState the channel as the chain indexer last saw it: OPEN, CLOSING or CLOSED (null: not indexed
     *     yet)
     */
    public record View(
            long id,
            long negotiation,
            SubscriptionState state,
            String signer,
            String channel,
            @Nullable ChannelState chainState) {}

    /** A subscription's row as {@link #activate} reads it; the agreed times are null on rows older than them. */
    private record Row(
            long negotiation,
            String signer,
            SubscriptionState state,
            @Nullable String slaTerms,
            @Nullable String token,
            @Nullable Long redeemWindowSeconds,
            @Nullable Long closeDelaySeconds,
            @Nullable String channel) {}

    /** A negotiation's row as {@link #accepted} reads it. */
    private record NegotiationRow(
            long id,
            String consumer,
            NegotiationState state,
            String payout,
            String operator,
            String[] prices,
            long listingId,
            @Nullable String token,
            @Nullable String tokenSymbol,
            @Nullable Integer tokenDecimals) {}

    private record Accepted(
            long id,
            String consumer,
            String payout,
            String operator,
            PriceTable prices,
            long listingId,
            String token,
            TokenUnit unit) {}

    /** The terms a channel must hold on chain, beside the accepted offer's prices. */
    private record Agreed(
            String signer, String token, long redeemWindowSeconds, long closeDelaySeconds, SlaTerms sla) {}

    @Transactional
    public PreparedCall prepare(long negotiation, String consumer, String signer, Wei deposit) {
        String factory = factory();
        Accepted accepted = accepted(negotiation, consumer);
        Long id = jdbc
                .query("select id from subscription where negotiation_id = ?", (rs, n) -> rs.getLong(1), negotiation)
                .stream()
                .findFirst()
                .orElseGet(() -> jdbc.queryForObject(
                        """
                        insert into subscription (negotiation_id, consumer_address, signer_address, state)
                        values (?, ?, ?, ?) returning id""",
                        Long.class,
                        negotiation,
                        consumer,
                        signer.toLowerCase(Locale.ROOT),
                        SubscriptionState.PENDING.name()));
        // release 2 starts the windows at the channel's creation (a consumer cannot pick them) and takes the
        // report period where release 1 took the first window's start
        int release = SlaSettlement.latestRelease(web3j, factory);
        Optional<ChannelSla> sla = slas.of(accepted.listingId())
                .map(terms -> release >= 2
                        ? new ChannelSla(0, terms, release)
                        : new ChannelSla(clock.instant().getEpochSecond() / 60 * 60 + 60, terms));
        jdbc.update(
                """
                update subscription set sla_terms = ?::jsonb, token_address = ?, redeem_window_seconds = ?,
                       close_delay_seconds = ?, deposit_units = ? where id = ?""",
                sla.map(json::writeValueAsString).orElse(null),
                accepted.token(),
                chain.redemptionTolerance().toSeconds(),
                chain.closeDelay().toSeconds(),
                new BigDecimal(deposit.value()),
                id);
        var terms = new ChannelTerms(
                consumer,
                signer,
                accepted.payout(),
                accepted.operator(),
                Optional.of(accepted.token()),
                accepted.prices(),
                chain.redemptionTolerance(),
                chain.closeDelay());
        var token = Token.of(accepted.token(), accepted.unit());
        if (token.ether()) {
            String data = sla.filter(ChannelSla::twoStep)
                    .map(twoStep -> FactoryClient.createChannelData(
                            terms,
                            twoStep.terms().channelTerms(Instant.EPOCH),
                            twoStep.terms().reportPeriod(),
                            deposit))
                    .orElseGet(() -> FactoryClient.createChannelData(
                            terms, sla.map(ChannelSla::onChain).orElseGet(SlaTerms::none), deposit));
            return new PreparedCall(
                    id,
                    chain.chainId(),
                    factory,
                    data,
                    deposit.toString(),
                    token,
                    deposit.toString(),
                    List.of(FundingStep.transaction(CREATE, factory, data, deposit.toString())));
        }
        List<FundingStep> steps = permits.domain(token.address(), consumer)
                .map(domain -> List.of(FundingStep.signPermit(
                        CREATE,
                        permits.typedData(domain, consumer, factory, deposit.value()),
                        "/api/subscriptions/" + id + "/permit")))
                .orElseGet(() -> List.of(
                        FundingStep.transaction(
                                "approve", token.address(), TokenPermits.approveData(factory, deposit.value()), "0"),
                        FundingStep.transaction(
                                CREATE,
                                factory,
                                createWithPermitData(
                                        terms,
                                        sla,
                                        TokenPermits.allowanceOnly(
                                                token.address(), consumer, factory, deposit.value())),
                                "0")));
        return new PreparedCall(id, chain.chainId(), null, null, "0", token, deposit.toString(), steps);
    }

    /**
     * The consumer's signed permit for a token subscription prepared with {@link #prepare}: checked (the prepared
     * deposit, before its deadline, signed by the consumer's wallet; else {@code permit-refused}) and answered with
     * the one transaction to send, {@code createChannelWithPermit} on the factory.
     */
    @Transactional(readOnly = true)
    public FundingStep permit(long subscription, String consumer, FactoryPermits.Signed signed) {
        Row row = row(subscription, consumer);
        if (row.state() == SubscriptionState.ACTIVE) {
            throw refused(subscription, "the subscription is already active with channel " + row.channel());
        }
        Accepted accepted = accepted(row.negotiation(), consumer);
        String token = row.token() == null ? accepted.token() : row.token();
        if (ZERO.equals(token)) {
            throw refused(subscription, "the subscription is in ether: its channel is funded with the call's value");
        }
        BigDecimal prepared = jdbc.queryForObject(
                "select deposit_units from subscription where id = ?", BigDecimal.class, subscription);
        if (prepared == null) {
            throw refused(subscription, "the subscription was prepared before deposits were kept: prepare it again");
        }
        BigInteger deposit = prepared.toBigIntegerExact();
        String factory = factory();
        var permit = permits.verify(token, consumer, factory, deposit, accepted.unit(), signed);
        var terms = new ChannelTerms(
                consumer,
                row.signer(),
                accepted.payout(),
                accepted.operator(),
                Optional.of(token),
                accepted.prices(),
                Duration.ofSeconds(row.redeemWindowSeconds()),
                Duration.ofSeconds(row.closeDelaySeconds()));
        Optional<ChannelSla> sla = Optional.ofNullable(row.slaTerms()).map(t -> json.readValue(t, ChannelSla.class));
        return FundingStep.transaction(CREATE, factory, createWithPermitData(terms, sla, permit), "0");
    }

    private static String createWithPermitData(
            ChannelTerms terms, Optional<ChannelSla> sla, TokenPermits.Permit permit) {
        return sla.filter(ChannelSla::twoStep)
                .map(twoStep -> FactoryClient.createChannelWithPermitData(
                        terms,
                        twoStep.terms().channelTerms(Instant.EPOCH),
                        twoStep.terms().reportPeriod(),
                        permit))
                .orElseGet(() -> FactoryClient.createChannelWithPermitData(
                        terms, sla.map(ChannelSla::onChain).orElseGet(SlaTerms::none), permit));
    }

    /** What a subscription to the accepted {@code negotiation} is funded in, before the deposit is chosen. */
    @Transactional(readOnly = true)
    public Token token(long negotiation, String consumer) {
        Accepted accepted = accepted(negotiation, consumer);
        return Token.of(accepted.token(), accepted.unit());
    }

    /** Verifies {@code channel} on chain against the accepted offer and activates the subscription. */
    @Transactional
    public View activate(long subscription, String consumer, String channel) {
        Row row = row(subscription, consumer);
        long negotiation = row.negotiation();
        String address = channel.toLowerCase(Locale.ROOT);
        if (row.state() == SubscriptionState.ACTIVE && !address.equals(row.channel())) {
            throw refused(subscription, "the subscription is already active with channel " + row.channel());
        }
        return activate(subscription, consumer, row, negotiation, address);
    }

    private Row row(long subscription, String consumer) {
        return jdbc
                .query(
                        """
                        select negotiation_id, signer_address, state, sla_terms::text, token_address,
                               redeem_window_seconds, close_delay_seconds, channel_address
                        from subscription where id = ? and consumer_address = ?""",
                        (rs, n) -> new Row(
                                rs.getLong(1),
                                rs.getString(2),
                                SubscriptionState.valueOf(rs.getString(3)),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getObject(6, Long.class),
                                rs.getObject(7, Long.class),
                                rs.getString(8)),
                        subscription,
                        consumer)
                .stream()
                .findFirst()
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND, "no subscription " + subscription + " of yours", Map.of()));
    }

    private View activate(long subscription, String consumer, Row row, long negotiation, String address) {
        Accepted accepted = accepted(negotiation, consumer);
        Optional<ChannelSla> preparedSla =
                Optional.ofNullable(row.slaTerms()).map(t -> json.readValue(t, ChannelSla.class));
        if (preparedSla.isPresent() && preparedSla.get().twoStep()) {
            // release 2: the windows start at the channel's creation, which the marketplace learns now
            preparedSla = Optional.of(
                    twoStepTerms(subscription, address, preparedSla.get().terms()));
        }
        SlaTerms prepared = preparedSla.map(ChannelSla::onChain).orElseGet(SlaTerms::none);
        // subscriptions prepared before the agreed times were stored: the settings they were prepared with
        var agreed = new Agreed(
                row.signer(),
                row.token() == null ? accepted.token() : row.token(),
                row.redeemWindowSeconds() == null ? chain.redemptionTolerance().toSeconds() : row.redeemWindowSeconds(),
                row.closeDelaySeconds() == null ? chain.closeDelay().toSeconds() : row.closeDelaySeconds(),
                prepared);
        verify(subscription, address, consumer, accepted, agreed);
        jdbc.update(
                """
                update subscription set state = ?, channel_address = ?, activated_at = now(), token_address = ?,
                       redeem_window_seconds = ?, close_delay_seconds = ?, sla_terms = coalesce(?::jsonb, sla_terms)
                where id = ?""",
                SubscriptionState.ACTIVE.name(),
                address,
                agreed.token(),
                agreed.redeemWindowSeconds(),
                agreed.closeDelaySeconds(),
                preparedSla.map(json::writeValueAsString).orElse(null),
                subscription);
        return new View(subscription, negotiation, SubscriptionState.ACTIVE, agreed.signer(), address, null);
    }

    /**
     * Registers a channel its consumer created outside the web UI (their own wallet or script, through the
     * factory) for an accepted negotiation: verified on chain exactly as {@link #activate} does, with the
     * marketplace's T_r and T_c and the listing's SLA terms; the signer is the channel's, and the first SLA window
     * starts where the channel says, which must be a whole minute no earlier than two minutes before now (a
     * consumer cannot reach back into a past outage).
     */
    @Transactional
    public View register(long negotiation, String consumer, String channel) {
        Accepted accepted = accepted(negotiation, consumer);
        var existing = jdbc.query(
                "select id from subscription where negotiation_id = ?", (rs, n) -> rs.getLong(1), negotiation);
        if (!existing.isEmpty()) {
            return activate(existing.getFirst(), consumer, channel);
        }
        String address = channel.toLowerCase(Locale.ROOT);
        requireChannel(0, address);
        var client = ChannelClient.readOnly(web3j, address);
        SlaTerms onChain = client.slaTerms();
        boolean twoStep = SlaSettlement.twoStep(web3j, address);
        Optional<ChannelSla> sla = slas.of(accepted.listingId())
                .map(terms -> twoStep
                        ? twoStepTerms(0, address, terms)
                        : new ChannelSla(onChain.start().getEpochSecond(), terms));
        if (sla.isPresent() && !twoStep) {
            long start = sla.get().startEpochSecond();
            long earliest = clock.instant().getEpochSecond() - 120;
            if (start % 60 != 0 || start < earliest) {
                throw new ApiProblem(
                        ProblemType.CONFLICT,
                        "the channel's first SLA window starts at " + sla.get().start()
                                + ": it must be a whole minute no earlier than two minutes ago",
                        Map.of("channel", address));
            }
        }
        var agreed = new Agreed(
                client.state().signer().toLowerCase(Locale.ROOT),
                accepted.token(),
                chain.redemptionTolerance().toSeconds(),
                chain.closeDelay().toSeconds(),
                sla.map(ChannelSla::onChain).orElseGet(SlaTerms::none));
        verify(0, address, consumer, accepted, agreed);
        Long id = jdbc.queryForObject(
                """
                insert into subscription (negotiation_id, consumer_address, signer_address, state, channel_address,
                                          activated_at, sla_terms, token_address, redeem_window_seconds,
                                          close_delay_seconds)
                values (?, ?, ?, ?, ?, now(), ?::jsonb, ?, ?, ?) returning id""",
                Long.class,
                negotiation,
                consumer,
                agreed.signer(),
                SubscriptionState.ACTIVE.name(),
                address,
                sla.map(json::writeValueAsString).orElse(null),
                agreed.token(),
                agreed.redeemWindowSeconds(),
                agreed.closeDelaySeconds());
        return new View(id, negotiation, SubscriptionState.ACTIVE, agreed.signer(), address, null);
    }

    /** Every agreed term against the chain; the refusal names the first that differs, with both values. */
    private void verify(long subscription, String address, String consumer, Accepted accepted, Agreed agreed) {
        requireChannel(subscription, address);
        Long taken = jdbc
                .query("select id from subscription where channel_address = ?", (rs, n) -> rs.getLong(1), address)
                .stream()
                .findFirst()
                .orElse(null);
        if (taken != null && taken != subscription) {
            throw refused(subscription, "channel " + address + " is already the channel of another subscription");
        }
        var client = ChannelClient.readOnly(web3j, address);
        var parties = client.parties();
        var state = client.state();
        check(subscription, "owner", parties.owner(), consumer);
        check(subscription, "payout", parties.payout(), accepted.payout());
        check(subscription, "operator", state.operator(), accepted.operator());
        check(subscription, "signer", state.signer(), agreed.signer());
        check(subscription, "token", parties.token(), agreed.token());
        if (parties.tolerance().toSeconds() != agreed.redeemWindowSeconds()) {
            throw refused(
                    subscription,
                    "the channel's T_r is " + parties.tolerance().toSeconds() + " s, not the agreed "
                            + agreed.redeemWindowSeconds() + " s");
        }
        if (parties.closeDelay().toSeconds() != agreed.closeDelaySeconds()) {
            throw refused(
                    subscription,
                    "the channel's T_c is " + parties.closeDelay().toSeconds() + " s, not the agreed "
                            + agreed.closeDelaySeconds() + " s");
        }
        PriceTable onChain = client.pricesOf(1);
        if (!onChain.equals(accepted.prices())) {
            throw refused(
                    subscription,
                    "the channel's prices " + onChain.decimals() + " are not the accepted "
                            + accepted.prices().decimals());
        }
        SlaTerms sla = client.slaTerms();
        if (!sla.equals(agreed.sla())) {
            throw refused(subscription, "the channel's SLA terms " + sla + " are not the agreed " + agreed.sla());
        }
    }

    /**
     * A release-2 channel's agreed SLA: the listing's terms with the windows starting at the channel's creation,
     * checked on chain — the report period is the listing's, and the first window starts at the creation block
     * (anything else is refused, naming both values).
     */
    private ChannelSla twoStepTerms(long subscription, String address, SlaView terms) {
        requireChannel(subscription, address);
        if (!SlaSettlement.twoStep(web3j, address)) {
            throw refused(
                    subscription,
                    "channel " + address + " is on release 1: it was prepared for release 2, whose report period "
                            + "is part of the SLA terms");
        }
        var settlement = SlaSettlement.readOnly(web3j, address);
        long period = settlement.reportPeriod().toSeconds();
        if (period != terms.reportPeriodSeconds()) {
            throw refused(
                    subscription,
                    "the channel's SLA report period is " + period + " s, not the agreed " + terms.reportPeriodSeconds()
                            + " s");
        }
        Instant created = SlaSettlement.createdAt(web3j, factory(), address)
                .orElseThrow(() -> refused(subscription, "channel " + address + " has no ChannelCreated event"));
        Instant start = ChannelClient.readOnly(web3j, address).slaTerms().start();
        if (!start.equals(created)) {
            throw refused(
                    subscription,
                    "the channel's first SLA window starts at " + start + ", not at its creation " + created);
        }
        return new ChannelSla(created.getEpochSecond(), terms, 2);
    }

    private void requireChannel(long subscription, String address) {
        if (!ChannelCode.hasCode(web3j, address) || !FactoryClient.createdBy(web3j, factory(), address)) {
            throw refused(subscription, "channel " + address + " was not created by the factory " + factory());
        }
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
                        SubscriptionState.valueOf(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5),
                        ChannelState.indexed(rs.getString(6)).orElse(null)),
                consumer);
    }

    private Accepted accepted(long negotiation, String consumer) {
        NegotiationRow row = jdbc
                .query(
                        """
                        select n.id, n.consumer_address, n.state, p.payout_address,
                               coalesce(p.operator_address, p.payout_address), n.prices_wei::text[], l.id, l.token_address,
                               l.token_symbol, l.token_decimals
                        from negotiation n join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                        where n.id = ? and n.consumer_address = ?""",
                        (rs, n) -> new NegotiationRow(
                                rs.getLong(1),
                                rs.getString(2),
                                NegotiationState.valueOf(rs.getString(3)),
                                rs.getString(4),
                                rs.getString(5),
                                (String[]) rs.getArray(6).getArray(),
                                rs.getLong(7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getObject(10, Integer.class)),
                        negotiation,
                        consumer)
                .stream()
                .findFirst()
                .orElseThrow(() ->
                        new ApiProblem(ProblemType.NOT_FOUND, "no negotiation " + negotiation + " of yours", Map.of()));
        if (row.state() != NegotiationState.ACCEPTED) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "negotiation " + negotiation + " is " + row.state()
                            + ": only an accepted offer can be subscribed to",
                    Map.of("negotiation", negotiation, "state", row.state().name()));
        }
        return new Accepted(
                row.id(),
                row.consumer(),
                row.payout(),
                row.operator(),
                new PriceTable(Arrays.stream(row.prices()).map(Wei::parse).toList()),
                row.listingId(),
                row.token() == null ? ZERO : row.token().toLowerCase(Locale.ROOT),
                row.token() == null || row.tokenSymbol() == null || row.tokenDecimals() == null
                        ? TokenUnit.ETHER
                        : new TokenUnit(row.tokenSymbol(), row.tokenDecimals()));
    }

    private String factory() {
        return permits.factory();
    }

    private static void check(long subscription, String what, String actual, String expected) {
        if (!actual.equalsIgnoreCase(expected)) {
            throw refused(subscription, "the channel's " + what + " is " + actual + ", not " + expected);
        }
    }

    private static ApiProblem refused(long subscription, String why) {
        return new ApiProblem(
                ProblemType.CONFLICT, why, subscription == 0 ? Map.of() : Map.of("subscription", subscription));
    }
}
