package io.tollgate.marketplace.subscription;

import io.tollgate.marketplace.chain.ChannelState;
import io.tollgate.marketplace.negotiation.NegotiationState;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code subscription} rows and the accepted negotiation a subscription is made from: every statement the
 * subscription flow runs. The SLA terms a channel was prepared with are kept as JSON ({@link ChannelSla}) in
 * {@code subscription.sla_terms}; this class writes and reads that JSON.
 */
@Component
record SubscriptionStore(JdbcClient jdbc, ObjectMapper json) {
    /** A subscription's row; the agreed times (and the token) are null on rows older than them. */
    record Row(
            long negotiation,
            String signer,
            SubscriptionState state,
            Optional<ChannelSla> sla,
            @Nullable String token,
            @Nullable Long redeemWindowSeconds,
            @Nullable Long closeDelaySeconds,
            @Nullable String channel) {}

    /** An accepted negotiation: its parties, the accepted prices and the listing's money. */
    record Accepted(
            long id,
            String consumer,
            String payout,
            String operator,
            PriceTable prices,
            long listingId,
            String token,
            TokenUnit unit) {}

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

    /** The subscription made from {@code negotiation}, if any. */
    Optional<Long> ofNegotiation(long negotiation) {
        return first("select id from subscription where negotiation_id = ?", negotiation);
    }

    /** The subscription whose channel is {@code address}, if any. */
    Optional<Long> ofChannel(String address) {
        return first("select id from subscription where channel_address = ?", address);
    }

    long insertPending(long negotiation, String consumer, String signer) {
        return jdbc.sql("""
                        insert into subscription (negotiation_id, consumer_address, signer_address, state)
                        values (?, ?, ?, ?) returning id""")
                .params(negotiation, consumer, signer.toLowerCase(Locale.ROOT), SubscriptionState.PENDING.name())
                .query(Long.class)
                .single();
    }

    /** The terms a pending subscription's channel is prepared with, and its deposit. */
    void prepared(
            long id,
            Optional<ChannelSla> sla,
            String token,
            long redeemWindowSeconds,
            long closeDelaySeconds,
            Wei deposit) {
        jdbc.sql("""
                        update subscription set sla_terms = ?::jsonb, token_address = ?, redeem_window_seconds = ?,
                               close_delay_seconds = ?, deposit_units = ? where id = ?""")
                .params(json(sla), token, redeemWindowSeconds, closeDelaySeconds, new BigDecimal(deposit.value()), id)
                .update();
    }

    /** The subscription {@code subscription} of {@code consumer}; else {@code not-found}. */
    Row row(long subscription, String consumer) {
        return jdbc.sql("""
                        select negotiation_id, signer_address, state, sla_terms::text, token_address,
                               redeem_window_seconds, close_delay_seconds, channel_address
                        from subscription where id = ? and consumer_address = ?""")
                .params(subscription, consumer)
                .query((rs, n) -> new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        SubscriptionState.valueOf(rs.getString(3)),
                        sla(rs.getString(4)),
                        rs.getString(5),
                        rs.getObject(6, Long.class),
                        rs.getObject(7, Long.class),
                        rs.getString(8)))
                .optional()
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND, "no subscription " + subscription + " of yours", Map.of()));
    }

    /** The deposit a subscription was prepared with (none on rows prepared before deposits were kept). */
    Optional<BigInteger> deposit(long subscription) {
        return jdbc.sql("select deposit_units from subscription where id = ?")
                .param(subscription)
                .query(BigDecimal.class)
                .optional()
                .map(BigDecimal::toBigIntegerExact);
    }

    /** Activates a verified channel, with the terms it was verified against. */
    void activated(
            long id,
            String channel,
            String token,
            long redeemWindowSeconds,
            long closeDelaySeconds,
            Optional<ChannelSla> sla) {
        jdbc.sql("""
                        update subscription set state = ?, channel_address = ?, activated_at = now(), token_address = ?,
                               redeem_window_seconds = ?, close_delay_seconds = ?, sla_terms = coalesce(?::jsonb, sla_terms)
                        where id = ?""")
                .params(
                        SubscriptionState.ACTIVE.name(),
                        channel,
                        token,
                        redeemWindowSeconds,
                        closeDelaySeconds,
                        json(sla),
                        id)
                .update();
    }

    /** A registered channel's subscription, active at once (it was verified before). */
    long insertActive(
            long negotiation,
            String consumer,
            String signer,
            String channel,
            Optional<ChannelSla> sla,
            String token,
            long redeemWindowSeconds,
            long closeDelaySeconds) {
        return jdbc.sql("""
                        insert into subscription (negotiation_id, consumer_address, signer_address, state, channel_address,
                                                  activated_at, sla_terms, token_address, redeem_window_seconds,
                                                  close_delay_seconds)
                        values (?, ?, ?, ?, ?, now(), ?::jsonb, ?, ?, ?) returning id""")
                .params(
                        negotiation,
                        consumer,
                        signer,
                        SubscriptionState.ACTIVE.name(),
                        channel,
                        json(sla),
                        token,
                        redeemWindowSeconds,
                        closeDelaySeconds)
                .query(Long.class)
                .single();
    }

    /** A consumer's subscriptions, with their channels as the chain indexer last saw them. */
    List<Subscriptions.View> mine(String consumer) {
        return jdbc.sql("""
                        select s.id, s.negotiation_id, s.state, s.signer_address, s.channel_address, c.state
                        from subscription s left join chain_channel c on c.channel = s.channel_address
                        where s.consumer_address = ? order by s.id""")
                .param(consumer)
                .query((rs, n) -> new Subscriptions.View(
                        rs.getLong(1),
                        rs.getLong(2),
                        SubscriptionState.valueOf(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5),
                        ChannelState.indexed(rs.getString(6)).orElse(null)))
                .list();
    }

    /** {@code consumer}'s accepted negotiation; else {@code not-found}, or a {@code conflict} naming its state. */
    Accepted accepted(long negotiation, String consumer) {
        NegotiationRow row = jdbc.sql("""
                        select n.id, n.consumer_address, n.state, p.payout_address,
                               coalesce(p.operator_address, p.payout_address), n.prices_wei::text[], l.id, l.token_address,
                               l.token_symbol, l.token_decimals
                        from negotiation n join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                        where n.id = ? and n.consumer_address = ?""")
                .params(negotiation, consumer)
                .query((rs, n) -> new NegotiationRow(
                        rs.getLong(1),
                        rs.getString(2),
                        NegotiationState.valueOf(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5),
                        (String[]) rs.getArray(6).getArray(),
                        rs.getLong(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getObject(10, Integer.class)))
                .optional()
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
                row.token() == null ? Subscriptions.ZERO : row.token().toLowerCase(Locale.ROOT),
                row.token() == null || row.tokenSymbol() == null || row.tokenDecimals() == null
                        ? TokenUnit.ETHER
                        : new TokenUnit(row.tokenSymbol(), row.tokenDecimals()));
    }

    private Optional<Long> first(String sql, Object param) {
        return jdbc.sql(sql).param(param).query(Long.class).list().stream().findFirst();
    }

    private @Nullable String json(Optional<ChannelSla> sla) {
        return sla.map(json::writeValueAsString).orElse(null);
    }

    private Optional<ChannelSla> sla(@Nullable String stored) {
        return Optional.ofNullable(stored).map(t -> json.readValue(t, ChannelSla.class));
    }
}
