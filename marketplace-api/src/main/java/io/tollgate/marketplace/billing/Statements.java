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

import io.tollgate.marketplace.billing.Token.Amount;
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
import java.util.TreeMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Statements per period for a consumer (the channels it owns) or a provider (the channels that pay its payout
 * address): money that moved on chain, from the indexed events, and what the gateway accepted, from its
 * per-minute usage rows, by category and over time, plus the exposure not yet redeemed. Every figure is per token:
 * a channel's money events count in the channel's token (the chain's word, else its subscription's listing's), a
 * usage row in its listing's token (else its channel's); figures of two tokens are never added. Every amount is an
 * integer of the token's smallest unit summed by PostgreSQL's NUMERIC, exact, and the same in whole units.
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

    /** A channel of the statement, with its token and what was redeemed from it and withdrawn from it over all time. */
    public record Channel(
            String channel, String counterparty, String state, Token token, Amount redeemed, Amount withdrawn) {}

    /** A money event of one of the channels, as indexed; {@code amount} in the channel's token, null if it moved none. */
    public record Event(
            String channel,
            String name,
            Long epoch,
            Token token,
            Amount amount,
            long block,
            Instant time,
            String transaction) {}

    public record CategoryLine(String listing, int category, String name, Token token, long requests, Amount value) {}

    /** What the gateways accepted in one bucket of the series in one token (a bucket with two tokens has two points). */
    public record Point(Instant start, Token token, long requests, Amount value) {}

    /**
     * The statement's figures in one token.
     *
     * @param chain moved on chain in the period by line: deposited, redeemed, withdrawn, penalties, refunded,
     *     collateral
     * @param usage what the gateway accepted in the period (Σ count × price)
     * @param pendingExposure accepted but not yet redeemed, over all time: what the provider may still claim
     */
    public record Total(Token token, long requests, Amount usage, Amount pendingExposure, Map<String, Amount> chain) {}

    /**
     * @param requests the requests accepted in the period, in every token (a count, not money)
     * @param totals one per token the channels or the usage are in, ether first, then by address
     */
    public record Statement(
            String address,
            Role role,
            Instant from,
            Instant to,
            Granularity granularity,
            long requests,
            List<Total> totals,
            List<Channel> channels,
            List<CategoryLine> byCategory,
            List<Point> series) {}

    /** The statement's chain lines by the events that fill them (in the order the lines are shown). */
    private static final Map<ChainEvent, String> CHAIN_LINES = new LinkedHashMap<>();

    static {
        CHAIN_LINES.put(DEPOSITED, "deposited");
        CHAIN_LINES.put(REDEEMED, "redeemed");
        CHAIN_LINES.put(CLAIMED, "redeemed"); // release 2's one-step redemption
        CHAIN_LINES.put(WITHDRAWN, "withdrawn");
        CHAIN_LINES.put(WINDOW_REPORTED, "penalties");
        CHAIN_LINES.put(WINDOW_SETTLED, "penalties"); // release 2
        CHAIN_LINES.put(CLOSED, "refunded");
        CHAIN_LINES.put(COLLATERAL_DEPOSITED, "collateral");
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
    private final TokenUnits tokenUnits;
    private final Clock clock;

    Statements(NamedParameterJdbcTemplate named, TokenUnits tokenUnits, Clock clock) {
        this.named = named;
        this.tokenUnits = tokenUnits;
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
     * {@code mine}, the channels of the party, and {@code channel_token}, each one's token: what the factory's
     * ChannelCreated named (the zero address for ether) once indexed, else its subscription's listing's.
     */
    private static String mine(Role role) {
        return "with mine as (" + channels(role) + ")" + """
                , channel_token as (
                    select m.channel, case when c.channel is not null then coalesce(c.token, :ether)
                                           else coalesce(l.token_address, :ether) end as token
                    from mine m left join chain_channel c on c.channel = m.channel
                    left join subscription s on s.channel_address = m.channel
                    left join negotiation n on n.id = s.negotiation_id left join listing l on l.id = n.listing_id)
                """;
    }

    /** The token of a usage row: its listing's ({@code l}, by slug), else its channel's ({@code ct}). */
    private static final String USAGE_TOKEN = """
            case when l.id is not null then coalesce(l.token_address, :ether) else coalesce(ct.token, :ether) end""";

    /**
     * Usage rows of {@code mine} in {@code [:from, :to)}, each with its token: whole UTC hours from {@code
     * usage_hour}, the partial hours at either edge from {@code gateway_usage_minute}; sums over it are exact for any
     * period.
     */
    private static final String USAGE = """
            , usage as (
                select r.*, %s as token
                from (select h.hour as at, h.listing_id, h.channel, h.epoch, h.category, h.requests, h.value_wei
                      from usage_hour h
                      where h.channel in (select channel from mine) and h.hour >= :hourFrom and h.hour < :hourTo
                      union all
                      select m.minute, m.listing_id, m.channel, m.epoch, m.category, m.requests, m.value_wei
                      from gateway_usage_minute m
                      where m.channel in (select channel from mine)
                        and ((m.minute >= :from and m.minute < :hourFrom) or (m.minute >= :hourTo and m.minute < :to))) r
                left join listing l on l.slug = r.listing_id left join channel_token ct on ct.channel = r.channel)
            """.formatted(USAGE_TOKEN);

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
                .addValue("ether", Token.ETHER_ADDRESS)
                .addValue("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to))
                .addValue("hourFrom", Timestamp.from(hourFrom))
                .addValue("hourTo", Timestamp.from(hourTo));
    }

    /** Sums per token, by line. */
    private static final class Sums {
        final Map<String, BigInteger> lines = new LinkedHashMap<>();
        long requests;

        void add(String line, BigInteger amount) {
            lines.merge(line, amount, BigInteger::add);
        }

        BigInteger get(String line) {
            return lines.getOrDefault(line, BigInteger.ZERO);
        }
    }

    @Transactional(readOnly = true)
    public Statement statement(String address, Role role, Instant from, Instant to, Granularity granularity) {
        String mine = mine(role);
        Map<String, Token> known = tokenUnits.known();
        // every token of the statement, ether's zero address first (the smallest), then by address
        Map<String, Sums> sums = new TreeMap<>();
        var params = period(address, from, to)
                .addValue("bucket", granularity == Granularity.HOUR ? "1 hour" : "1 day")
                .addValue("redeeming", REDEEMING)
                .addValue("withdrawn", WITHDRAWN.eventName())
                .addValue("claimed", CLAIMED.eventName())
                .addValue("redeemed", REDEEMED.eventName());

        List<Channel> channels =
                named.query(mine + """
                select m.channel, coalesce(%s, s.counterparty), coalesce(c.state, 'UNINDEXED'), ct.token,
                       (select coalesce(sum(amount_wei), 0) from chain_event e where e.channel = m.channel and e.name in (:redeeming)),
                       (select coalesce(sum(amount_wei), 0) from chain_event e where e.channel = m.channel and e.name = :withdrawn)
                from mine m join channel_token ct on ct.channel = m.channel
                left join chain_channel c on c.channel = m.channel
                left join (select s.channel_address, p.payout_address as counterparty from subscription s
                           join negotiation n on n.id = s.negotiation_id join listing l on l.id = n.listing_id
                           join provider p on p.id = l.provider_id) s on s.channel_address = m.channel
                order by m.channel""".formatted(role == Role.CONSUMER ? "c.payout" : "c.owner"), params, (rs, n) -> {
                    Token token = TokenUnits.of(known, rs.getString(4));
                    sums.computeIfAbsent(token.address(), t -> new Sums());
                    return new Channel(
                            rs.getString(1).strip(),
                            rs.getString(2),
                            rs.getString(3),
                            token,
                            token.amount(units(rs.getBigDecimal(5))),
                            token.amount(units(rs.getBigDecimal(6))));
                });

        named.query(mine + """
                select ct.token, e.name, sum(e.amount_wei)
                from chain_event e join chain_block b on b.number = e.block_number
                join channel_token ct on ct.channel = e.channel
                where b.time >= :from and b.time < :to and e.amount_wei is not null
                group by ct.token, e.name""", params, rs -> {
            Sums of = sums.computeIfAbsent(rs.getString(1), t -> new Sums());
            BigInteger amount = units(rs.getBigDecimal(3));
            // two releases' events may fill one line: added up
            ChainEvent.named(rs.getString(2)).map(CHAIN_LINES::get).ifPresent(line -> of.add(line, amount));
        });

        List<CategoryLine> byCategory = new ArrayList<>();
        List<Point> series = new ArrayList<>();
        // one pass over the period's rows for both groupings
        named.query(mine + USAGE + """
                select grouping(u.listing_id) as by_time, u.listing_id, u.category, u.bucket, u.token,
                       sum(u.requests), sum(u.value_wei)
                from (select usage.*, date_bin(cast(:bucket as interval), at, timestamptz '1970-01-01 00:00:00+00') as bucket
                      from usage) u
                group by grouping sets ((u.listing_id, u.category, u.token), (u.bucket, u.token))
                order by 1, 2, 3, 4, 5""", params, rs -> {
            Token token = TokenUnits.of(known, rs.getString(5));
            Amount value = token.amount(units(rs.getBigDecimal(7)));
            if (rs.getInt(1) == 0) {
                Sums of = sums.computeIfAbsent(token.address(), t -> new Sums());
                of.requests += rs.getLong(6);
                of.add("usage", value.value());
                byCategory.add(new CategoryLine(rs.getString(2), rs.getInt(3), null, token, rs.getLong(6), value));
            } else {
                series.add(new Point(rs.getTimestamp(4).toInstant(), token, rs.getLong(6), value));
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
                        c.token(),
                        c.requests(),
                        c.value()))
                .toList();

        named.query(mine + """
                , per_epoch as (select u.channel, u.epoch, %s as token, sum(u.value_wei) v from usage_hour u
                                left join listing l on l.slug = u.listing_id left join channel_token ct on ct.channel = u.channel
                                where u.channel in (select channel from mine) group by u.channel, u.epoch, 3)
                select p.token, coalesce(sum(greatest(p.v - coalesce((select sum(c.amount_wei) from chain_event c
                                                                     where c.channel = p.channel and c.name = :claimed
                                                                       and c.epoch = p.epoch), 0), 0)), 0)
                from per_epoch p
                where not exists (select 1 from chain_event r
                                  where r.channel = p.channel and r.name = :redeemed and r.epoch = p.epoch)
                group by p.token""".formatted(USAGE_TOKEN), params, rs -> {
            sums.computeIfAbsent(rs.getString(1), t -> new Sums()).add("pending", units(rs.getBigDecimal(2)));
        });

        List<Total> totals = new ArrayList<>();
        sums.forEach((address_, of) -> {
            Token token = TokenUnits.of(known, address_);
            Map<String, Amount> chain = new LinkedHashMap<>();
            CHAIN_LINES.values().forEach(line -> chain.putIfAbsent(line, token.amount(of.get(line))));
            totals.add(new Total(
                    token, of.requests, token.amount(of.get("usage")), token.amount(of.get("pending")), chain));
        });
        long requests = lines.stream().mapToLong(CategoryLine::requests).sum();
        return new Statement(address, role, from, to, granularity, requests, totals, channels, lines, series);
    }

    /** The newest money events (deposits, redemptions, withdrawals, penalties, closes) of the caller's channels. */
    @Transactional(readOnly = true)
    public List<Event> events(String address, Role role, int limit) {
        Map<String, Token> known = tokenUnits.known();
        return named.query(
                mine(role) + """
                select e.channel, e.name, e.epoch, e.amount_wei, e.block_number, b.time, e.tx_hash, ct.token
                from chain_event e join chain_block b on b.number = e.block_number
                join channel_token ct on ct.channel = e.channel
                where e.name in (:events)
                order by e.block_number desc, e.log_index desc limit :limit""",
                new MapSqlParameterSource("address", address)
                        .addValue("ether", Token.ETHER_ADDRESS)
                        .addValue("limit", limit)
                        .addValue("events", MONEY_EVENTS),
                (rs, n) -> {
                    Token token = TokenUnits.of(known, rs.getString(8));
                    return new Event(
                            rs.getString(1).strip(),
                            rs.getString(2),
                            (Long) rs.getObject(3),
                            token,
                            rs.getBigDecimal(4) == null ? null : token.amount(units(rs.getBigDecimal(4))),
                            rs.getLong(5),
                            rs.getTimestamp(6).toInstant(),
                            rs.getString(7).strip());
                });
    }

    /**
     * What {@code consumer}'s channels were charged by the gateway in {@code token} (its address; the zero address
     * for ether) from {@code from} until now, in the token's smallest unit.
     */
    @Transactional(readOnly = true)
    public BigInteger spentSince(String consumer, String token, Instant from) {
        return named.queryForObject(
                mine(Role.CONSUMER) + USAGE + "select coalesce(sum(value_wei), 0) from usage where token = :token",
                period(consumer, from, clock.instant().plus(1, ChronoUnit.HOURS))
                        .addValue("token", token),
                (rs, n) -> rs.getBigDecimal(1).toBigInteger());
    }

    private static BigInteger units(BigDecimal value) {
        return value == null ? BigInteger.ZERO : value.toBigInteger();
    }
}
