package io.tollgate.marketplace.chain;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.protocol.Address;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The chain inspector (operators only): the indexer's progress, and the blocks and transactions that touched
 * our contracts, each call and event decoded from the ABI.
 */
@RestController
@RequestMapping("/api/inspector")
class InspectorController {

    record Status(
            Long indexedBlock,
            String indexedHash,
            Instant updatedAt,
            long blocks,
            long transactions,
            long events,
            long channels) {}

    record Event(long block, int logIndex, String address, String channel, String name, JsonNode args) {}

    record Transaction(
            String hash,
            long block,
            Instant time,
            String from,
            String to,
            String valueWei,
            String method,
            JsonNode args,
            Long gasUsed,
            List<Event> events) {}

    record Block(long number, String hash, String parentHash, Instant time, long transactions, long events) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    InspectorController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The indexer's cursor: the last indexed block. */
    private record Cursor(long block, String hash, Instant updatedAt) {}

    @GetMapping("/status")
    @Transactional(readOnly = true)
    Status status() {
        Optional<Cursor> cursor = jdbc
                .query(
                        "select block_number, block_hash, updated_at from chain_cursor where name = 'main'",
                        (rs, n) -> new Cursor(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getTimestamp(3).toInstant()))
                .stream()
                .findFirst();
        return new Status(
                cursor.map(Cursor::block).orElse(null),
                cursor.map(Cursor::hash).orElse(null),
                cursor.map(Cursor::updatedAt).orElse(null),
                count("chain_block"),
                count("chain_transaction"),
                count("chain_event"),
                count("chain_channel"));
    }

    @GetMapping("/blocks")
    @Transactional(readOnly = true)
    List<Block> blocks(@RequestParam(defaultValue = "20") int limit) {
        return jdbc.query(
                """
                select b.number, b.hash, b.parent_hash, b.time,
                       (select count(*) from chain_transaction t where t.block_number = b.number),
                       (select count(*) from chain_event e where e.block_number = b.number)
                from chain_block b order by b.number desc limit ?""",
                (rs, n) -> new Block(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getLong(5),
                        rs.getLong(6)),
                limit(limit));
    }

    /** Newest first; {@code channel} narrows to the transactions that touched one channel. */
    @GetMapping("/transactions")
    @Transactional(readOnly = true)
    List<Transaction> transactions(
            @RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String channel) {
        String only = channel == null ? null : address(channel);
        List<Transaction> found = jdbc.query(
                """
                select t.hash, t.block_number, b.time, t.from_address, t.to_address, t.value_wei, t.method, t.args,
                       t.gas_used
                from chain_transaction t join chain_block b on b.number = t.block_number
                where ?::text is null or exists (select 1 from chain_event e where e.tx_hash = t.hash and e.channel = ?)
                order by t.block_number desc, t.tx_index desc limit ?""",
                (rs, n) -> new Transaction(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getTimestamp(3).toInstant(),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getBigDecimal(6).toBigInteger().toString(),
                        rs.getString(7),
                        tree(rs.getString(8)),
                        (Long) rs.getObject(9),
                        List.of()),
                only,
                only,
                limit(limit));
        return found.stream()
                .map(t -> new Transaction(
                        t.hash(),
                        t.block(),
                        t.time(),
                        t.from(),
                        t.to(),
                        t.valueWei(),
                        t.method(),
                        t.args(),
                        t.gasUsed(),
                        jdbc.query("""
                                select block_number, log_index, address, channel, name, args::text
                                from chain_event where tx_hash = ? order by log_index""", this::event, t.hash())))
                .toList();
    }

    private Event event(ResultSet rs, int n) throws SQLException {
        return new Event(
                rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), tree(rs.getString(6)));
    }

    private long count(String table) {
        Long n = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return n == null ? 0 : n;
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > 500) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "limit must be between 1 and 500, not " + limit,
                    Map.of("limit", limit));
        }
        return limit;
    }

    private static String address(String value) {
        if (!Address.isAddress(value)) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "'" + value + "' is not an address: 0x and 40 hex digits",
                    Map.of("channel", value));
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
