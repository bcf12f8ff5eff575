package io.tollgate.marketplace.chain;

import io.tollgate.protocol.chain.ChainEvent;
import io.tollgate.settings.ChainProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows the chain into PostgreSQL: each configured factory's {@code ChannelCreated} and every event of the channels
 * they created, decoded, with the blocks and transactions they came in. A block is indexed once it has
 * {@code confirmations} blocks on top; each poll first checks that the node still has the last indexed block's
 * hash and, if not (a re-org deeper than the confirmations), deletes everything above the newest stored block
 * the node agrees with and goes on from there. One poll is one database transaction under an advisory lock, so
 * replicas may all run it, a crash loses nothing, and indexing a block twice changes nothing.
 */
@Service
public class ChainIndexer {
    /** pg advisory lock key: "tollgate-indexer". */
    static final long LOCK = 0x746f6c6c67617465L;

    private static final Logger log = LoggerFactory.getLogger(ChainIndexer.class);
    private static final String CURSOR = "main";

    /** A stored block: the cursor's, or one of those a re-org is checked against. */
    private record Stored(long number, String hash) {}

    /** What one poll did: the last indexed block, the node's head, events added, whether it rolled back. */
    public record Progress(long indexedTo, long head, int events, long rolledBackTo, boolean leader) {
        public boolean caughtUp(int confirmations) {
            return indexedTo >= head - confirmations;
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Web3j web3j;
    private final ChainProperties chain;
    private final IndexerProperties properties;
    private final ContractAbi abi = ContractAbi.ofTollgate();
    private final JsonMapper json = JsonMapper.shared();

    ChainIndexer(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            Web3j web3j,
            ChainProperties chain,
            IndexerProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.web3j = web3j;
        this.chain = chain;
        this.properties = properties;
    }

    /** The same indexer with other settings (a second process, or different confirmations). */
    public ChainIndexer with(IndexerProperties other) {
        return new ChainIndexer(jdbc, transactions, web3j, chain, other);
    }

    /** Whether there is a factory to follow. */
    public boolean configured() {
        return !chain.factories().isEmpty();
    }

    public IndexerProperties properties() {
        return properties;
    }

    /** Indexes the next batch of confirmed blocks (or undoes a re-org); safe to call from any replica. */
    public Progress poll() {
        if (!configured()) {
            throw new IllegalStateException("tollgate.chain.factories is not set: there is nothing to index");
        }
        return transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, LOCK))) {
                return new Progress(-1, -1, 0, -1, false);
            }
            try {
                return pollLocked();
            } catch (IOException e) {
                throw new UncheckedIOException("the chain node at " + chain.rpcUrl() + " did not answer", e);
            }
        });
    }

    private Progress pollLocked() throws IOException {
        long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        Optional<Stored> cursor = jdbc
                .query(
                        "select block_number, block_hash from chain_cursor where name = ?",
                        (rs, n) -> new Stored(rs.getLong(1), rs.getString(2)),
                        CURSOR)
                .stream()
                .findFirst();
        if (cursor.isPresent()) {
            Optional<String> hash = hashAt(cursor.get().number());
            if (hash.isEmpty() || !hash.get().equals(cursor.get().hash())) {
                long kept = rollBack();
                return new Progress(kept, head, 0, kept, true);
            }
        }
        long from = cursor.map(c -> c.number() + 1).orElse(properties.startBlock());
        long to = Math.min(head - properties.confirmations(), from + properties.batchBlocks() - 1);
        if (from > to) {
            return new Progress(from - 1, head, 0, -1, true);
        }
        List<String> factories =
                chain.factories().stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
        List<Log> logs = new ArrayList<>(logs(factories, from, to));
        Set<String> channels = new LinkedHashSet<>(jdbc.queryForList(
                "select distinct channel from chain_event where name = ?",
                String.class,
                ChainEvent.CHANNEL_CREATED.eventName()));
        for (Log l : logs) {
            abi.event(l)
                    .filter(ChainIndexer::created)
                    .ifPresent(e -> channels.add((String) e.args().get("channel")));
        }
        if (!channels.isEmpty()) {
            logs.addAll(logs(List.copyOf(channels), from, to));
        }
        logs.sort(Comparator.comparing(Log::getBlockNumber).thenComparing(Log::getLogIndex));

        Map<Long, EthBlock.Block> blocks = new TreeMap<>();
        for (Log l : logs) {
            blocks.computeIfAbsent(l.getBlockNumber().longValueExact(), this::block);
        }
        blocks.computeIfAbsent(to, this::block);
        for (Log l : logs) {
            String canonical = blocks.get(l.getBlockNumber().longValueExact()).getHash();
            if (!canonical.equalsIgnoreCase(l.getBlockHash())) {
                throw new IllegalStateException("the chain re-organised while block " + l.getBlockNumber()
                        + " was read; the next poll starts again");
            }
        }
        for (EthBlock.Block b : blocks.values()) {
            jdbc.update(
                    "insert into chain_block (number, hash, parent_hash, time) values (?, ?, ?, ?) on conflict do nothing",
                    b.getNumber().longValueExact(),
                    b.getHash(),
                    b.getParentHash(),
                    Timestamp.from(Instant.ofEpochSecond(b.getTimestamp().longValueExact())));
        }
        Set<String> transactionsSeen = new LinkedHashSet<>();
        int added = 0;
        for (Log l : logs) {
            var decoded = abi.event(l);
            if (decoded.isEmpty()) {
                continue;
            }
            if (transactionsSeen.add(l.getTransactionHash())) {
                transaction(l.getTransactionHash());
            }
            added += event(l, decoded.get());
        }
        EthBlock.Block last = blocks.get(to);
        jdbc.update("""
                insert into chain_cursor (name, block_number, block_hash) values (?, ?, ?)
                on conflict (name) do update set block_number = excluded.block_number,
                    block_hash = excluded.block_hash, updated_at = now()""", CURSOR, to, last.getHash());
        return new Progress(to, head, added, -1, true);
    }

    private static boolean created(ContractAbi.Decoded event) {
        return event.name().equals(ChainEvent.CHANNEL_CREATED.eventName());
    }

    /** The argument that carries the wei an event moved, when it moves any. */
    private static Optional<String> amountArgument(String eventName) {
        return ChainEvent.named(eventName).flatMap(event -> switch (event) {
            // release 2's Claimed pays like release 1's Redeemed; CollateralReleased returns what a close held
            case DEPOSITED, REDEEMED, CLAIMED, WITHDRAWN, COLLATERAL_DEPOSITED, COLLATERAL_RELEASED ->
                Optional.of("amount");
            case CLOSED -> Optional.of("refund");
            case WINDOW_REPORTED, WINDOW_SETTLED -> Optional.of("penalty");
            case COLLATERAL_HELD -> Optional.of("held");
            // no money moves (a new event is a compile error here until it is placed)
            case CHANNEL_CREATED,
                    CHANNEL_OPENED,
                    CLAIM_FAILED,
                    CLOSE_REQUESTED,
                    EPOCH_STARTED,
                    REDEMPTION_STARTED,
                    REPORT_ADDED,
                    SIGNER_ROTATION_REQUESTED,
                    SIGNER_ROTATED,
                    OPERATOR_ROTATION_REQUESTED,
                    OPERATOR_ROTATED,
                    OPERATOR_REPLACED,
                    UPGRADED_WITH_CONSENT,
                    RELEASE_REGISTERED,
                    UPGRADED,
                    INITIALIZED,
                    EIP712_DOMAIN_CHANGED,
                    OWNERSHIP_TRANSFER_STARTED,
                    OWNERSHIP_TRANSFERRED -> Optional.empty();
        });
    }

    private int event(Log l, ContractAbi.Decoded event) {
        Map<String, Object> args = event.args();
        String channel =
                created(event) ? (String) args.get("channel") : l.getAddress().toLowerCase(Locale.ROOT);
        Object epoch = args.getOrDefault("epoch", args.get("expiringEpoch"));
        Object amount = amountArgument(event.name()).map(args::get).orElse(null);
        return jdbc.update(
                """
                insert into chain_event (block_number, log_index, tx_hash, address, channel, name, args, epoch, amount_wei)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) on conflict do nothing""",
                l.getBlockNumber().longValueExact(),
                l.getLogIndex().intValueExact(),
                l.getTransactionHash(),
                l.getAddress().toLowerCase(Locale.ROOT),
                channel,
                event.name(),
                write(args),
                epoch == null ? null : Long.parseLong(epoch.toString()),
                amount == null ? null : new java.math.BigDecimal(new BigInteger(amount.toString())));
    }

    private void transaction(String hash) {
        try {
            Transaction t =
                    web3j.ethGetTransactionByHash(hash).send().getTransaction().orElseThrow();
            var receipt = web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            var call = abi.call(t.getInput());
            jdbc.update(
                    """
                    insert into chain_transaction (hash, block_number, tx_index, from_address, to_address, value_wei, method, args, gas_used)
                    values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict do nothing""",
                    hash,
                    t.getBlockNumber().longValueExact(),
                    t.getTransactionIndex().intValueExact(),
                    t.getFrom().toLowerCase(Locale.ROOT),
                    t.getTo() == null ? null : t.getTo().toLowerCase(Locale.ROOT),
                    new java.math.BigDecimal(t.getValue()),
                    call.map(ContractAbi.Decoded::name).orElse(null),
                    call.map(ContractAbi.Decoded::args).map(this::write).orElse(null),
                    receipt.map(r -> r.getGasUsed().longValueExact()).orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes everything above the newest stored block the node still has; returns that block (or start - 1). */
    private long rollBack() throws IOException {
        List<Stored> stored = jdbc.query(
                "select number, hash from chain_block order by number desc limit 1000",
                (rs, n) -> new Stored(rs.getLong(1), rs.getString(2)));
        Optional<Stored> kept = Optional.empty();
        for (Stored block : stored) {
            Optional<String> now = hashAt(block.number());
            if (now.isPresent() && now.get().equals(block.hash())) {
                kept = Optional.of(block);
                break;
            }
        }
        long keep = kept.map(Stored::number).orElse(properties.startBlock() - 1);
        int removed = jdbc.update("delete from chain_event where block_number > ?", keep);
        jdbc.update("delete from chain_block where number > ?", keep);
        if (kept.isEmpty()) {
            jdbc.update("delete from chain_cursor where name = ?", CURSOR);
        } else {
            jdbc.update(
                    "update chain_cursor set block_number = ?, block_hash = ?, updated_at = now() where name = ?",
                    keep,
                    kept.get().hash(),
                    CURSOR);
        }
        log.warn("chain re-organised: removed {} events above block {}, indexing again from there", removed, keep);
        return keep;
    }

    private Optional<String> hashAt(long number) throws IOException {
        EthBlock.Block b = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                .send()
                .getBlock();
        return Optional.ofNullable(b).map(EthBlock.Block::getHash);
    }

    private EthBlock.Block block(long number) {
        try {
            EthBlock.Block b = web3j.ethGetBlockByNumber(
                            DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                    .send()
                    .getBlock();
            if (b == null) {
                throw new IllegalStateException("the node has no block " + number + " (re-organised?)");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Log> logs(List<String> addresses, long from, long to) throws IOException {
        var filter = new EthFilter(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                addresses);
        EthLog answer = web3j.ethGetLogs(filter).send();
        if (answer.hasError()) {
            throw new IllegalStateException(
                    "eth_getLogs failed: " + answer.getError().getMessage());
        }
        return answer.getLogs().stream().map(r -> (Log) r.get()).toList();
    }

    private String write(Object value) {
        return json.writeValueAsString(value);
    }
}
