package io.tollgate.marketplace.billing;

import io.tollgate.marketplace.billing.Token.Amount;
import io.tollgate.protocol.chain.ChainEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who pays whom (operators only): an edge from each consumer to each provider it has channels to, per token the
 * channels pay in, with what the gateway accepted and what was redeemed; and the attributed edges of transitive
 * calls, where a provider's own paid calls to another provider carried the origin of a consumer's traffic ({@code
 * Tollgate-Origin}), per token of the paying channel. Amounts of two tokens are never added.
 */
@RestController
class DependencyGraph {
    public record Node(String address, List<String> kinds, String label) {}

    public record Edge(
            String from, String to, Token token, long channels, long requests, Amount value, Amount redeemed) {}

    /** {@code origin}'s traffic made {@code via} pay {@code to}, in {@code token}. */
    public record Attributed(String origin, String via, String to, Token token, long requests, Amount value) {}

    public record Graph(List<Node> nodes, List<Edge> edges, List<Attributed> attributed) {}

    private static final String CHANNELS = """
            with ch as (
                select channel, owner, payout, coalesce(token, ?) as token from chain_channel
                union
                select s.channel_address, s.consumer_address, p.payout_address, coalesce(l.token_address, ?) from subscription s
                join negotiation n on n.id = s.negotiation_id join listing l on l.id = n.listing_id
                join provider p on p.id = l.provider_id where s.channel_address is not null)
            """;

    private final JdbcTemplate jdbc;
    private final TokenUnits tokenUnits;

    DependencyGraph(JdbcTemplate jdbc, TokenUnits tokenUnits) {
        this.jdbc = jdbc;
        this.tokenUnits = tokenUnits;
    }

    @GetMapping("/api/graph")
    @Transactional(readOnly = true)
    Graph graph() {
        Map<String, Token> known = tokenUnits.known();
        List<Edge> edges = jdbc.query(
                CHANNELS + """
                , used as (select channel, sum(requests) r, sum(value_wei) v from gateway_usage_minute group by channel),
                  red as (select channel, sum(amount_wei) v from chain_event where name in (?, ?)
                          group by channel)
                select ch.owner, ch.payout, ch.token, count(*), coalesce(sum(u.r), 0), coalesce(sum(u.v), 0),
                       coalesce(sum(red.v), 0)
                from ch left join used u on u.channel = ch.channel left join red on red.channel = ch.channel
                group by ch.owner, ch.payout, ch.token order by ch.owner, ch.payout, ch.token""",
                (rs, n) -> {
                    Token token = TokenUnits.of(known, rs.getString(3));
                    return new Edge(
                            rs.getString(1),
                            rs.getString(2),
                            token,
                            rs.getLong(4),
                            rs.getLong(5),
                            token.amount(rs.getBigDecimal(6).toBigInteger()),
                            token.amount(rs.getBigDecimal(7).toBigInteger()));
                },
                Token.ETHER_ADDRESS,
                Token.ETHER_ADDRESS,
                ChainEvent.REDEEMED.eventName(),
                ChainEvent.CLAIMED.eventName());
        List<Attributed> attributed = jdbc.query(
                CHANNELS + """
                select coalesce(oc.owner, o.origin), pc.owner, pc.payout, pc.token, sum(o.requests), sum(o.value_wei)
                from gateway_origin_minute o join ch pc on pc.channel = o.channel
                left join (select distinct channel, owner from ch) oc on oc.channel = o.origin
                group by 1, 2, 3, 4 order by 1, 2, 3, 4""",
                (rs, n) -> {
                    Token token = TokenUnits.of(known, rs.getString(4));
                    return new Attributed(
                            rs.getString(1).strip(),
                            rs.getString(2),
                            rs.getString(3),
                            token,
                            rs.getLong(5),
                            token.amount(rs.getBigDecimal(6).toBigInteger()));
                },
                Token.ETHER_ADDRESS,
                Token.ETHER_ADDRESS);
        Map<String, String> providers = new LinkedHashMap<>();
        jdbc.query("select payout_address, name from provider", rs -> {
            providers.put(rs.getString(1), rs.getString(2));
        });
        Map<String, List<String>> kinds = new LinkedHashMap<>();
        for (Edge e : edges) {
            kinds.computeIfAbsent(e.from(), k -> new ArrayList<>()).add("consumer");
            kinds.computeIfAbsent(e.to(), k -> new ArrayList<>()).add("provider");
        }
        List<Node> nodes = kinds.entrySet().stream()
                .map(k -> new Node(
                        k.getKey(),
                        k.getValue().stream().distinct().sorted().toList(),
                        providers.getOrDefault(k.getKey(), k.getKey())))
                .toList();
        return new Graph(nodes, edges, attributed);
    }
}
