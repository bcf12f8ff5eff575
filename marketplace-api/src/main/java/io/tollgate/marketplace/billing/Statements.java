package io.tollgate.marketplace.billing;

import static io.tollgate.protocol.chain.ChainEvent.CLAIMED;
import static io.tollgate.protocol.chain.ChainEvent.CLOSED;
import static io.tollgate.protocol.chain.ChainEvent.CLOSE_REQUESTED;
import static io.tollgate.protocol.chain.ChainEvent.COLLATERAL_DEPOSITED;
import static io.tollgate.protocol.chain.ChainEvent.COLLATERAL_HELD;
import static io.tollgate.protocol.chain.ChainEvent.COLLATERAL_RELEASED;
import static io.tollgate.protocol.chain.ChainEvent.DEPOSITED;
import static io.tollgate.protocol.chain.ChainEvent.EPOCH_STARTED;
import static io.tollgate.protocol.chain.ChainEvent.REDEEMED;
import static io.tollgate.protocol.chain.ChainEvent.REDEMPTION_STARTED;
import static io.tollgate.protocol.chain.ChainEvent.WINDOW_REPORTED;
import static io.tollgate.protocol.chain.ChainEvent.WINDOW_SETTLED;
import static io.tollgate.protocol.chain.ChainEvent.WITHDRAWN;

import io.tollgate.protocol.chain.ChainEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Statements per period for a consumer (the channels it owns) or a provider (the channels that pay its payout
 * address): money that moved on chain, from the indexed events, and what the gateway accepted, from its
 * per-minute usage rows, by category and over time, plus the exposure not yet redeemed. Every amount is a
 * decimal string of wei summed by PostgreSQL's NUMERIC: exact.
 */
@Service
public class Statements {
    public enum Role {
        CONSUMER,
        PROVIDER
    }

    public enum Granularity {
        HOUR,
        DAY
    }

    /** A channel of the statement, with what was redeemed from it and withdrawn from it over all time. */
    public record Channel(String channel, String counterparty, String state, String redeemedWei, String withdrawnWei) {}

    /** A money event of one of the channels, as indexed. */
    public record Event(
            String channel, String name, Long epoch, String amountWei, long block, Instant time, String transaction) {}

    public record CategoryLine(String listing, int category, String name, long requests, String valueWei) {}

    public record Point(Instant start, long requests, String valueWei) {}

    /**
     * @param chain wei moved on chain in the period by event: deposited, redeemed, withdrawn, penalties, refunded,
     *     collateral
     * @param usageWei what the gateway accepted in the period (Σ count × price)
     * @param pendingExposureWei accepted but not yet redeemed, over all time: what the provider may still claim
     */
    public record Statement(
            String address,
            Role role,
            Instant from,
            Instant to,
            Granularity granularity,
            List<Channel> channels,
            Map<String, String> chain,
            long requests,
            String usageWei,
            String pendingExposureWei,
            List<CategoryLine> byCategory,
            List<Point> series) {}

    /** The statement's chain lines by the events that fill them (in the order the lines are shown). */
    private static final Map<ChainEvent, String> CHAIN_LINES = new LinkedHashMap<>();

    static {
        CHAIN_LINES.put(DEPOSITED, "depositedWei");
        CHAIN_LINES.put(REDEEMED, "redeemedWei");
        CHAIN_LINES.put(CLAIMED, "redeemedWei"); // release 2's one-step redemption
        CHAIN_LINES.put(WITHDRAWN, "withdrawnWei");
        CHAIN_LINES.put(WINDOW_REPORTED, "penaltiesWei");
        CHAIN_LINES.put(WINDOW_SETTLED, "penaltiesWei"); // release 2
        CHAIN_LINES.put(CLOSED, "refundedWei");
        CHAIN_LINES.put(COLLATERAL_DEPOSITED, "collateralWei");
    }

    /** The events that pay the provider from a channel: release 1's redemption and release 2's claim. */
    private static final List<String> REDEEMING = ChainEvent.names(REDEEMED, CLAIMED);

    /** The money events a party's event list shows. */
    private static final List<String> MONEY_EVENTS = ChainEvent.names(
            DEPOSITED,
            REDEEMED,
            WITHDRAWN,
            WINDOW_REPORTED,
            CLOSE_REQUESTED,
            CLOSED,
            REDEMPTION_STARTED,
            CLAIMED,
            EPOCH_STARTED,
            WINDOW_SETTLED,
            COLLATERAL_HELD,
            COLLATERAL_RELEASED);

    private final NamedParameterJdbcTemplate named;
    private final Clock clock;

    Statements(NamedParameterJdbcTemplate named, Clock clock) {
        this.named = named;
        this.clock = clock;
    }

    /** The channels of {@code address} in {@code role}: indexed from the chain, and those of its subscriptions. */
    private static String channels(Role role) {
        return role == Role.CONSUMER ? """
                  select channel from chain_channel where owner = :address
                  union select channel_address from subscription
                  where consumer_address = :address and channel_address is not null""" : """
                  select channel from chain_channel where payout = :address
                  union select s.channel_address from subscription s join negotiation n on n.id = s.negotiation_id
                    join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                  where p.payout_address = :address and s.channel_address is not null""";
    }

    /**
     * Usage rows of {@code mine} in {@code [:from, :to)}: whole UTC hours from {@code usage_hour}, the partial hours
     * at either edge from {@code gateway_usage_minute}; sums over it are exact for any period.
     */
    private static final String USAGE = """
            , usage as (
                select h.hour as at, h.listing_id, h.channel, h.epoch, h.category, h.requests, h.value_wei
                from usage_hour h
                where h.channel in (select channel from mine) and h.hour >= :hourFrom and h.hour < :hourTo
                union all
                select m.minute, m.listing_id, m.channel, m.epoch, m.category, m.requests, m.value_wei
                from gateway_usage_minute m
                where m.channel in (select channel from mine)
                  and ((m.minute >= :from and m.minute < :hourFrom) or (m.minute >= :hourTo and m.minute < :to)))
            """;

    private static MapSqlParameterSource period(String address, Instant from, Instant to) {
        Instant hourFrom = from.truncatedTo(ChronoUnit.HOURS);
        if (hourFrom.isBefore(from)) {
            hourFrom = hourFrom.plus(1, ChronoUnit.HOURS);
        }
        Instant hourTo = to.truncatedTo(ChronoUnit.HOURS);
        if (hourFrom.isAfter(hourTo)) { // no whole hour inside: minutes only
            hourFrom = from;
            hourTo = from;
        }
        return new MapSqlParameterSource("address", address)
                .addValue("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to))
                .addValue("hourFrom", Timestamp.from(hourFrom))
                .addValue("hourTo", Timestamp.from(hourTo));
    }

    @Transactional(readOnly = true)
    public Statement statement(String address, Role role, Instant from, Instant to, Granularity granularity) {
        String mine = "with mine as (" + channels(role) + ")";
        var params = period(address, from, to)
                .addValue("bucket", granularity == Granularity.HOUR ? "1 hour" : "1 day")
                .addValue("redeeming", REDEEMING)
                .addValue("withdrawn", WITHDRAWN.eventName())
                .addValue("claimed", CLAIMED.eventName())
                .addValue("redeemed", REDEEMED.eventName());

        List<Channel> channels = named.query(
                mine + """
                select m.channel, coalesce(%s, s.counterparty), coalesce(c.state, 'UNINDEXED'),
                       (select coalesce(sum(amount_wei), 0) from chain_event e where e.channel = m.channel and e.name in (:redeeming)),
                       (select coalesce(sum(amount_wei), 0) from chain_event e where e.channel = m.channel and e.name = :withdrawn)
                from mine m left join chain_channel c on c.channel = m.channel
                left join (select s.channel_address, p.payout_address as counterparty from subscription s
                           join negotiation n on n.id = s.negotiation_id join listing l on l.id = n.listing_id
                           join provider p on p.id = l.provider_id) s on s.channel_address = m.channel
                order by m.channel""".formatted(role == Role.CONSUMER ? "c.payout" : "c.owner"),
                params,
                (rs, n) -> new Channel(
                        rs.getString(1).strip(),
                        rs.getString(2),
                        rs.getString(3),
                        wei(rs.getBigDecimal(4)),
                        wei(rs.getBigDecimal(5))));

        Map<String, String> chain = new LinkedHashMap<>();
        CHAIN_LINES.values().forEach(line -> chain.putIfAbsent(line, "0"));
        named.query(mine + """
                select e.name, sum(e.amount_wei) from chain_event e join chain_block b on b.number = e.block_number
                where e.channel in (select channel from mine) and b.time >= :from and b.time < :to
                  and e.amount_wei is not null group by e.name""", params, rs -> {
            String amount = rs.getBigDecimal(2).toBigInteger().toString();
            ChainEvent.named(rs.getString(1))
                    .map(CHAIN_LINES::get)
                    // two releases' events may fill one line: added up
                    .ifPresent(line -> chain.merge(
                            line,
                            amount,
                            (a, b) -> new BigInteger(a).add(new BigInteger(b)).toString()));
        });

        List<CategoryLine> byCategory = new ArrayList<>();
        List<Point> series = new ArrayList<>();
        // one pass over the period's rows for both groupings
        named.query(mine + USAGE + """
                select grouping(u.listing_id) as by_time, u.listing_id, u.category, u.bucket,
                       sum(u.requests), sum(u.value_wei)
                from (select usage.*, date_bin(cast(:bucket as interval), at, timestamptz '1970-01-01 00:00:00+00') as bucket
                      from usage) u
                group by grouping sets ((u.listing_id, u.category), (u.bucket))
                order by 1, 2, 3, 4""", params, rs -> {
            if (rs.getInt(1) == 0) {
                byCategory.add(
                        new CategoryLine(rs.getString(2), rs.getInt(3), null, rs.getLong(5), wei(rs.getBigDecimal(6))));
            } else {
                series.add(new Point(rs.getTimestamp(4).toInstant(), rs.getLong(5), wei(rs.getBigDecimal(6))));
            }
        });
        Map<String, String> names = new LinkedHashMap<>();
        named.query(
                """
                select l.slug, lc.category, lc.name from listing l join listing_category lc on lc.listing_id = l.id
                where l.slug in (:slugs)""",
                new MapSqlParameterSource(
                        "slugs",
                        byCategory.isEmpty()
                                ? List.of("")
                                : byCategory.stream()
                                        .map(CategoryLine::listing)
                                        .distinct()
                                        .toList()),
                rs -> {
                    names.put(rs.getString(1) + "/" + rs.getInt(2), rs.getString(3));
                });
        List<CategoryLine> lines = byCategory.stream()
                .map(c -> new CategoryLine(
                        c.listing(),
                        c.category(),
                        names.getOrDefault(c.listing() + "/" + c.category(), "category " + c.category()),
                        c.requests(),
                        c.valueWei()))
                .toList();

        String pending = named.queryForObject(mine + """
                , per_epoch as (select channel, epoch, sum(value_wei) v from usage_hour
                                where channel in (select channel from mine) group by channel, epoch)
                select coalesce(sum(greatest(p.v - coalesce((select sum(c.amount_wei) from chain_event c
                                                             where c.channel = p.channel and c.name = :claimed
                                                               and c.epoch = p.epoch), 0), 0)), 0)
                from per_epoch p
                where not exists (select 1 from chain_event r
                                  where r.channel = p.channel and r.name = :redeemed and r.epoch = p.epoch)""", params, (rs, n) -> wei(rs.getBigDecimal(1)));

        long requests = lines.stream().mapToLong(CategoryLine::requests).sum();
        String usage = lines.stream()
                .map(c -> new BigInteger(c.valueWei()))
                .reduce(BigInteger.ZERO, BigInteger::add)
                .toString();
        return new Statement(
                address, role, from, to, granularity, channels, chain, requests, usage, pending, lines, series);
    }

    /** The newest money events (deposits, redemptions, withdrawals, penalties, closes) of the caller's channels. */
    @Transactional(readOnly = true)
    public List<Event> events(String address, Role role, int limit) {
        return named.query(
                "with mine as (" + channels(role) + ")" + """
                select e.channel, e.name, e.epoch, e.amount_wei, e.block_number, b.time, e.tx_hash
                from chain_event e join chain_block b on b.number = e.block_number
                where e.channel in (select channel from mine)
                  and e.name in (:events)
                order by e.block_number desc, e.log_index desc limit :limit""",
                new MapSqlParameterSource("address", address)
                        .addValue("limit", limit)
                        .addValue("events", MONEY_EVENTS),
                (rs, n) -> new Event(
                        rs.getString(1).strip(),
                        rs.getString(2),
                        (Long) rs.getObject(3),
                        rs.getBigDecimal(4) == null ? null : wei(rs.getBigDecimal(4)),
                        rs.getLong(5),
                        rs.getTimestamp(6).toInstant(),
                        rs.getString(7)));
    }

    /** What {@code consumer}'s channels were charged by the gateway from {@code from} until now. */
    @Transactional(readOnly = true)
    public BigInteger spentSince(String consumer, Instant from) {
        return named.queryForObject(
                "with mine as (" + channels(Role.CONSUMER) + ")" + USAGE
                        + "select coalesce(sum(value_wei), 0) from usage",
                period(consumer, from, clock.instant().plus(1, ChronoUnit.HOURS)),
                (rs, n) -> rs.getBigDecimal(1).toBigInteger());
    }

    private static String wei(BigDecimal value) {
        return value == null ? "0" : value.toBigInteger().toString();
    }
}
