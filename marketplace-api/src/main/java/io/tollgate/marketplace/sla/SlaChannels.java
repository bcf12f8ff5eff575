package io.tollgate.marketplace.sla;

import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.marketplace.catalogue.SlaView;
import io.tollgate.marketplace.subscription.ChannelSla;
import io.tollgate.pricing.Wei;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The SLA of subscriptions' channels as their parties see it: the terms, the collateral (deposited, paid out,
 * left), and per window the monitors' signed reports, their median against the promise, what the tiers ask,
 * whether the submitter reported it and what the chain paid ({@code WindowReported}, indexed). Read only: the
 * monitors and the submitter write, the chain pays.
 */
@Service
public class SlaChannels {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    SlaChannels(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** A channel with SLA terms and who its parties are. */
    record Channel(
            String channel,
            String listing,
            String listingName,
            String upstreamUrl,
            String consumer,
            String provider,
            @Nullable String chainState,
            ChannelSla sla) {}

    /**
     * Where the collateral stands.
     *
     * @param state NOT_DEPOSITED: nothing deposited yet; COVERED: what is left pays the largest tier; LOW: less;
     *     EXHAUSTED: deposited and all paid out, further penalties cannot be paid; RETURNED: the channel closed and
     *     what was left went to the provider
     */
    record Collateral(String promisedWei, String depositedWei, String paidWei, String remainingWei, String state) {}

    /** One monitor's signed report of a window. */
    record Report(String monitor, int availabilityBps, JsonNode observations, Instant signedAt) {}

    /**
     * What the chain paid for a window: its {@code WindowReported} event (release 1) or {@code WindowSettled}
     * (release 2, the median of all reports added; {@code reports} how many).
     */
    record Paid(
            int availabilityBps,
            String penaltyWei,
            String txHash,
            long block,
            Instant time,
            @Nullable Integer reports) {}

    /** Release 2: a report added on chain during the window's report period (its {@code ReportAdded} event). */
    record Added(String monitor, int availabilityBps, String txHash, Instant time) {}

    /**
     * One ended window.
     *
     * @param medianBps the contract's median of the reports (the chain's figure once paid); null without reports
     * @param met whether the median reached the target; null without reports
     * @param duePenaltyWei what the tiers ask for the median; the chain pays at most the collateral left
     * @param status AWAITING_REPORTS (fewer than quorum), MET (nothing due), DUE (due, not yet submitted),
     *     SUBMITTED (sent, not yet indexed), PAID (the chain reported it), REFUSED (the chain refused it for
     *     good, e.g. the channel closed); on release 2 also REPORTING (reports added on chain, the report period
     *     running or the settlement to come) and EXPIRED (not settled in time: nothing is paid)
     * @param reportsUntil release 2: reports are added on chain until then, the settlement follows; null on release 1
     * @param settleUntil release 2: the window can be settled until then
     * @param added release 2: the reports added on chain so far (the settlement takes their median)
     */
    record Window(
            long window,
            Instant start,
            Instant end,
            List<Report> reports,
            @Nullable Integer medianBps,
            @Nullable Boolean met,
            String duePenaltyWei,
            String status,
            @Nullable Paid paid,
            @Nullable Instant reportsUntil,
            @Nullable Instant settleUntil,
            List<Added> added) {}

    /** A channel's SLA page. */
    record ChannelView(
            String channel,
            String listing,
            String listingName,
            String consumer,
            String provider,
            @Nullable String chainState,
            long start,
            int release,
            SlaView terms,
            Collateral collateral,
            String penaltiesPaidWei,
            List<Window> windows) {}

    /** The channels with SLA terms a monitor is named in (all when {@code monitor} is null), for monitors. */
    record Watch(
            String channel,
            String listing,
            String probeUrl,
            long start,
            long windowSeconds,
            List<String> monitors,
            int quorum) {}

    @Transactional(readOnly = true)
    public Optional<Channel> channel(String channel) {
        return jdbc
                .query(
                        CHANNELS + " and s.channel_address = ?",
                        (rs, n) -> new Channel(
                                rs.getString("channel_address"),
                                rs.getString("slug"),
                                rs.getString("name"),
                                rs.getString("upstream_url"),
                                rs.getString("consumer_address"),
                                rs.getString("payout_address"),
                                rs.getString("chain_state"),
                                json.readValue(rs.getString("sla_terms"), ChannelSla.class)),
                        channel)
                .stream()
                .findFirst();
    }

    private static final String CHANNELS = """
            select s.channel_address, l.slug, l.name, l.upstream_url, s.consumer_address, p.payout_address,
                   s.sla_terms::text as sla_terms, c.state as chain_state
            from subscription s join negotiation n on n.id = s.negotiation_id join listing l on l.id = n.listing_id
                 join provider p on p.id = l.provider_id left join chain_channel c on c.channel = s.channel_address
            where s.state = 'ACTIVE' and s.sla_terms is not null""";

    /** The channels with SLA terms where {@code address} is the consumer or the provider's payout address. */
    @Transactional(readOnly = true)
    List<Summary> of(String address) {
        return jdbc.query(
                CHANNELS + " and (s.consumer_address = ? or p.payout_address = ?) order by s.id",
                (rs, n) -> {
                    ChannelSla sla = json.readValue(rs.getString("sla_terms"), ChannelSla.class);
                    return new Summary(
                            rs.getString("channel_address"),
                            rs.getString("slug"),
                            rs.getString("name"),
                            rs.getString("consumer_address").equals(address) ? "consumer" : "provider",
                            sla.terms().targetBps(),
                            sla.terms().windowSeconds(),
                            rs.getString("chain_state"));
                },
                address,
                address);
    }

    /** A channel with SLA terms in a party's list; role: the caller's side of it. */
    record Summary(
            String channel,
            String listing,
            String listingName,
            String role,
            int targetBps,
            long windowSeconds,
            @Nullable String chainState) {}

    /** The feed monitors poll: every active channel with SLA terms (that names {@code monitor}) not closed. */
    @Transactional(readOnly = true)
    List<Watch> watches(@Nullable String monitor) {
        return jdbc
                .query(CHANNELS + " and coalesce(c.state, 'OPEN') <> 'CLOSED' order by s.id", (rs, n) -> {
                    ChannelSla sla = json.readValue(rs.getString("sla_terms"), ChannelSla.class);
                    return new Watch(
                            rs.getString("channel_address"),
                            rs.getString("slug"),
                            rs.getString("upstream_url").replaceAll("/+$", "")
                                    + sla.terms().probePath(),
                            sla.startEpochSecond(),
                            sla.terms().windowSeconds(),
                            sla.terms().monitors(),
                            sla.terms().quorum());
                })
                .stream()
                .filter(w -> monitor == null || w.monitors().contains(monitor))
                .toList();
    }

    /** The SLA page of a channel: terms, collateral and the last {@code count} ended windows, newest first. */
    @Transactional(readOnly = true)
    ChannelView view(Channel channel, int count) {
        SlaTerms terms = channel.sla().onChain();
        // a window has ended when this server's clock or the chain's newest indexed block says so
        Timestamp newestBlock = jdbc.queryForObject("select max(time) from chain_block", Timestamp.class);
        Instant now = newestBlock == null || newestBlock.toInstant().isBefore(clock.instant())
                ? clock.instant()
                : newestBlock.toInstant();
        long current = terms.windowAt(now);
        long from = Math.max(0, current - count);
        Map<Long, List<Report>> reports = new TreeMap<>();
        jdbc.query(
                """
                select window_index, monitor, availability_bps, observations::text, signed_at from sla_report
                where channel = ? and window_index >= ? and window_index < ? order by window_index, monitor""",
                rs -> {
                    reports.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Report(
                                    rs.getString(2),
                                    rs.getInt(3),
                                    json.readTree(rs.getString(4)),
                                    rs.getTimestamp(5).toInstant()));
                },
                channel.channel(),
                from,
                current);
        Map<Long, String> submissions = new HashMap<>();
        jdbc.query(
                "select window_index, state from sla_submission where channel = ? and window_index >= ?",
                rs -> {
                    submissions.put(rs.getLong(1), rs.getString(2));
                },
                channel.channel(),
                from);
        Map<Long, Paid> paid = new HashMap<>();
        jdbc.query(
                """
                select e.args ->> 'window', coalesce(e.args ->> 'availabilityBps', e.args ->> 'medianBps'),
                       e.amount_wei::text, e.tx_hash, e.block_number, b.time, e.args ->> 'reports'
                from chain_event e join chain_block b on b.number = e.block_number
                where e.channel = ? and e.name in ('WindowReported', 'WindowSettled')""",
                rs -> {
                    paid.put(
                            Long.parseLong(rs.getString(1)),
                            new Paid(
                                    Integer.parseInt(rs.getString(2)),
                                    rs.getString(3),
                                    rs.getString(4).trim(),
                                    rs.getLong(5),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getString(7) == null ? null : Integer.valueOf(rs.getString(7))));
                },
                channel.channel());
        Map<Long, List<Added>> added = new HashMap<>();
        jdbc.query(
                """
                select e.args ->> 'window', e.args ->> 'monitor', e.args ->> 'availabilityBps', e.tx_hash, b.time
                from chain_event e join chain_block b on b.number = e.block_number
                where e.channel = ? and e.name = 'ReportAdded' order by e.block_number, e.log_index""",
                rs -> {
                    added.computeIfAbsent(Long.parseLong(rs.getString(1)), k -> new ArrayList<>())
                            .add(new Added(
                                    rs.getString(2),
                                    Integer.parseInt(rs.getString(3)),
                                    rs.getString(4).trim(),
                                    rs.getTimestamp(5).toInstant()));
                },
                channel.channel());
        List<Window> windows = new ArrayList<>();
        for (long w = current - 1; w >= from; w--) {
            windows.add(window(
                    channel.sla(),
                    now,
                    w,
                    reports.getOrDefault(w, List.of()),
                    submissions.get(w),
                    paid.get(w),
                    added.getOrDefault(w, List.of())));
        }
        return new ChannelView(
                channel.channel(),
                channel.listing(),
                channel.listingName(),
                channel.consumer(),
                channel.provider(),
                channel.chainState(),
                channel.sla().startEpochSecond(),
                channel.sla().release(),
                channel.sla().terms(),
                collateral(channel, terms),
                paid.values().stream()
                        .map(p -> Wei.parse(p.penaltyWei()))
                        .reduce(Wei.ZERO, Wei::plus)
                        .toString(),
                windows);
    }

    private static Window window(
            ChannelSla sla,
            Instant now,
            long w,
            List<Report> reports,
            @Nullable String submission,
            @Nullable Paid paid,
            List<Added> added) {
        SlaTerms terms = sla.onChain();
        Instant reportsUntil =
                sla.twoStep() ? terms.windowEnd(w).plus(sla.terms().reportPeriod()) : null;
        Instant settleUntil = sla.twoStep()
                ? terms.windowEnd(w).plus(sla.terms().reportPeriod().multipliedBy(2))
                : null;
        Integer median = paid != null
                ? Integer.valueOf(paid.availabilityBps())
                : reports.isEmpty()
                        ? null
                        : SlaTerms.median(
                                reports.stream().map(Report::availabilityBps).toList());
        Wei due = median == null ? Wei.ZERO : terms.penaltyFor(median);
        String status;
        if (paid != null) {
            status = "PAID";
        } else if (settleUntil != null && !now.isBefore(settleUntil) && !added.isEmpty()) {
            status = "EXPIRED";
        } else if (sla.twoStep() && (!added.isEmpty() || "REPORTS_ADDED".equals(submission))) {
            status = "REPORTING";
        } else if ("SENDING".equals(submission) || "CONFIRMED".equals(submission)) {
            status = "SUBMITTED";
        } else if ("REFUSED".equals(submission)) {
            status = "REFUSED";
        } else if (reports.size() < terms.quorum()) {
            status = "AWAITING_REPORTS";
        } else if (due.isZero() || "NO_PENALTY".equals(submission)) {
            status = "MET";
        } else {
            status = "DUE";
        }
        return new Window(
                w,
                terms.windowStart(w),
                terms.windowEnd(w),
                reports,
                median,
                median == null ? null : median >= terms.target().value(),
                due.toString(),
                status,
                paid,
                reportsUntil,
                settleUntil,
                List.copyOf(added));
    }

    private Collateral collateral(Channel channel, SlaTerms terms) {
        return jdbc.queryForObject(
                """
                select coalesce(sum(amount_wei) filter (where name = 'CollateralDeposited'), 0),
                       coalesce(sum(amount_wei) filter (where name in ('WindowReported', 'WindowSettled')), 0),
                       coalesce(bool_or(name = 'Closed'), false)
                from chain_event where channel = ?""",
                (rs, n) -> {
                    Wei deposited = new Wei(rs.getBigDecimal(1).toBigIntegerExact());
                    Wei paidOut = new Wei(rs.getBigDecimal(2).toBigIntegerExact());
                    boolean closed = rs.getBoolean(3);
                    Wei remaining = closed ? Wei.ZERO : deposited.minus(paidOut);
                    String state;
                    if (closed) {
                        state = "RETURNED";
                    } else if (deposited.isZero()) {
                        state = "NOT_DEPOSITED";
                    } else if (remaining.isZero()) {
                        state = "EXHAUSTED";
                    } else if (remaining.compareTo(terms.largestPenalty()) < 0) {
                        state = "LOW";
                    } else {
                        state = "COVERED";
                    }
                    return new Collateral(
                            channel.sla().terms().collateralWei(),
                            deposited.toString(),
                            paidOut.toString(),
                            remaining.toString(),
                            state);
                },
                channel.channel());
    }
}
