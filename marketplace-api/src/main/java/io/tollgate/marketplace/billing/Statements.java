package io.tollgate.marketplace.billing;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
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

    public record Channel(String channel, String counterparty, String state) {}

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

    private static final Map<String, String> CHAIN_LINES = new LinkedHashMap<>();

    static {
        CHAIN_LINES.put("Deposited", "depositedWei");
        CHAIN_LINES.put("Redeemed", "redeemedWei");
        CHAIN_LINES.put("Withdrawn", "withdrawnWei");
        CHAIN_LINES.put("WindowReported", "penaltiesWei");
        CHAIN_LINES.put("Closed", "refundedWei");
        CHAIN_LINES.put("CollateralDeposited", "collateralWei");
    }

    private final JdbcTemplate jdbc;

    Statements(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The channels of {@code address} in {@code role}: indexed from the chain, and those of its subscriptions. */
    private static String channels(Role role) {
        return role == Role.CONSUMER ? """
                  select channel from chain_channel where owner = ?
                  union select channel_address from subscription where consumer_address = ? and channel_address is not null""" : """
                  select channel from chain_channel where payout = ?
                  union select s.channel_address from subscription s join negotiation n on n.id = s.negotiation_id
                    join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                  where p.payout_address = ? and s.channel_address is not null""";
    }

    @Transactional(readOnly = true)
    public Statement statement(String address, Role role, Instant from, Instant to, Granularity granularity) {
        String mine = channels(role);
        Timestamp start = Timestamp.from(from);
        Timestamp end = Timestamp.from(to);

        List<Channel> channels = jdbc.query(
                "with mine as (" + mine + """
                ) select m.channel, coalesce(%s, s.counterparty), coalesce(c.state, 'UNINDEXED')
                  from mine m left join chain_channel c on c.channel = m.channel
                  left join (select s.channel_address, p.payout_address as counterparty from subscription s
                             join negotiation n on n.id = s.negotiation_id join listing l on l.id = n.listing_id
                             join provider p on p.id = l.provider_id) s on s.channel_address = m.channel
                  order by m.channel""".formatted(role == Role.CONSUMER ? "c.payout" : "c.owner"),
                (rs, n) -> new Channel(rs.getString(1).strip(), rs.getString(2), rs.getString(3)),
                address,
                address);

        Map<String, String> chain = new LinkedHashMap<>();
        CHAIN_LINES.values().forEach(line -> chain.put(line, "0"));
        jdbc.query(
                "with mine as (" + mine + """
                ) select e.name, sum(e.amount_wei) from chain_event e join chain_block b on b.number = e.block_number
                  where e.channel in (select channel from mine) and b.time >= ? and b.time < ?
                    and e.amount_wei is not null group by e.name""",
                rs -> {
                    String line = CHAIN_LINES.get(rs.getString(1));
                    if (line != null) {
                        chain.put(line, rs.getBigDecimal(2).toBigInteger().toString());
                    }
                },
                address,
                address,
                start,
                end);

        List<CategoryLine> byCategory = jdbc.query(
                "with mine as (" + mine + """
                ) select u.listing_id, u.category, coalesce(min(lc.name), 'category ' || u.category),
                         sum(u.requests), sum(u.value_wei)
                  from gateway_usage_minute u
                  left join listing l on l.slug = u.listing_id
                  left join listing_category lc on lc.listing_id = l.id and lc.category = u.category
                  where u.channel in (select channel from mine) and u.minute >= ? and u.minute < ?
                  group by u.listing_id, u.category order by u.listing_id, u.category""",
                (rs, n) -> new CategoryLine(
                        rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4), wei(rs.getBigDecimal(5))),
                address,
                address,
                start,
                end);

        List<Point> series = jdbc.query(
                "with mine as (" + mine + """
                ) select date_trunc(?, u.minute, 'UTC'), sum(u.requests), sum(u.value_wei)
                  from gateway_usage_minute u
                  where u.channel in (select channel from mine) and u.minute >= ? and u.minute < ?
                  group by 1 order by 1""",
                (rs, n) -> new Point(rs.getTimestamp(1).toInstant(), rs.getLong(2), wei(rs.getBigDecimal(3))),
                address,
                address,
                granularity.name().toLowerCase(java.util.Locale.ROOT),
                start,
                end);

        String pending = jdbc.queryForObject(
                "with mine as (" + mine + """
                ) select coalesce(sum(u.value_wei), 0) from gateway_usage_minute u
                  where u.channel in (select channel from mine)
                    and not exists (select 1 from chain_event r
                                    where r.channel = u.channel and r.name = 'Redeemed' and r.epoch = u.epoch)""", (rs, n) -> wei(rs.getBigDecimal(1)), address, address);

        long requests = byCategory.stream().mapToLong(CategoryLine::requests).sum();
        String usage = byCategory.stream()
                .map(c -> new java.math.BigInteger(c.valueWei()))
                .reduce(java.math.BigInteger.ZERO, java.math.BigInteger::add)
                .toString();
        return new Statement(
                address, role, from, to, granularity, channels, chain, requests, usage, pending, byCategory, series);
    }

    /** What {@code consumer}'s channels were charged by the gateway from {@code from} on. */
    @Transactional(readOnly = true)
    public java.math.BigInteger spentSince(String consumer, Instant from) {
        return jdbc.queryForObject(
                "with mine as (" + channels(Role.CONSUMER) + """
                ) select coalesce(sum(u.value_wei), 0) from gateway_usage_minute u
                  where u.channel in (select channel from mine) and u.minute >= ?""",
                (rs, n) -> rs.getBigDecimal(1).toBigInteger(),
                consumer,
                consumer,
                Timestamp.from(from));
    }

    private static String wei(BigDecimal value) {
        return value == null ? "0" : value.toBigInteger().toString();
    }
}
