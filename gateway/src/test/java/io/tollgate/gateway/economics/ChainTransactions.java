package io.tollgate.gateway.economics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Every transaction mined on the chain since the last look, with its receipt: read block by block from the
 * node, so nothing depends on what the code that sent them reports. Function names come from the compiled
 * contracts' ABIs ({@code contracts/target/solidity/*.abi}).
 */
final class ChainTransactions {

    /**
     * One mined transaction as its receipt shows it.
     *
     * @param gasUsed the receipt's {@code gasUsed}: the 21,000 base, the calldata and the execution
     * @param effectiveGasPrice what each gas cost on this chain (anvil's pinned base fee plus the tip)
     * @param type 0 legacy, 2 EIP-1559
     * @param calldataBytes the input's length
     */
    record Tx(
            String hash,
            long block,
            Instant time,
            String from,
            String to,
            String function,
            int type,
            BigInteger gasUsed,
            BigInteger effectiveGasPrice,
            int calldataBytes,
            BigInteger value) {}

    private final Web3j web3j;
    private final Map<String, String> functions;
    private long lastBlock;

    ChainTransactions(Web3j web3j, Path abiFolder) {
        this.web3j = web3j;
        this.functions = selectors(abiFolder);
        this.lastBlock = latest();
    }

    /** The transactions of the blocks mined since the last call (or since construction). */
    List<Tx> collect() {
        long head = latest();
        var found = new ArrayList<Tx>();
        for (long n = lastBlock + 1; n <= head; n++) {
            var number = DefaultBlockParameter.valueOf(BigInteger.valueOf(n));
            EthBlock.Block block =
                    send(() -> web3j.ethGetBlockByNumber(number, true).send()).getBlock();
            long blockNumber = n;
            Instant time = Instant.ofEpochSecond(block.getTimestamp().longValueExact());
            for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
                var tx = (Transaction) result.get();
                TransactionReceipt receipt = send(() ->
                                web3j.ethGetTransactionReceipt(tx.getHash()).send())
                        .getTransactionReceipt()
                        .orElseThrow(
                                () -> new IllegalStateException("no receipt for a mined transaction " + tx.getHash()));
                if (!receipt.isStatusOK()) {
                    throw new IllegalStateException("a transaction of the scenario reverted: " + tx.getHash());
                }
                byte[] input = Numeric.hexStringToByteArray(tx.getInput());
                found.add(new Tx(
                        tx.getHash(),
                        blockNumber,
                        time,
                        tx.getFrom().toLowerCase(Locale.ROOT),
                        tx.getTo() == null ? "" : tx.getTo().toLowerCase(Locale.ROOT),
                        function(tx),
                        tx.getType() == null
                                ? 0
                                : Numeric.decodeQuantity(tx.getType()).intValueExact(),
                        receipt.getGasUsed(),
                        Numeric.decodeQuantity(receipt.getEffectiveGasPrice()),
                        input.length,
                        tx.getValue()));
            }
        }
        lastBlock = head;
        return found;
    }

    private String function(Transaction tx) {
        if (tx.getTo() == null) {
            return "(deploy)";
        }
        String input = tx.getInput();
        if (input == null || input.length() < 10) {
            return "(transfer)";
        }
        String selector = input.substring(0, 10).toLowerCase(Locale.ROOT);
        return functions.getOrDefault(selector, selector);
    }

    private long latest() {
        return send(() -> web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
    }

    /** selector → function name, for every function of every ABI in the folder. */
    static Map<String, String> selectors(Path abiFolder) {
        var map = new HashMap<String, String>();
        var json = new ObjectMapper();
        try (var files = Files.list(abiFolder)) {
            for (Path abi : files.filter(p -> p.toString().endsWith(".abi")).toList()) {
                for (JsonNode item : json.readTree(abi.toFile())) {
                    if (!"function".equals(item.path("type").asText())) {
                        continue;
                    }
                    String signature = item.get("name").asText() + "(" + types(item.path("inputs")) + ")";
                    String selector = Numeric.toHexString(
                                    Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                            .substring(0, 10);
                    map.put(selector, item.get("name").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contracts' ABIs in " + abiFolder, e);
        }
        return map;
    }

    /** The canonical ABI types of a parameter list, tuples spelled out. */
    private static String types(JsonNode parameters) {
        return StreamSupport.stream(parameters.spliterator(), false)
                .map(p -> {
                    String type = p.get("type").asText();
                    if (type.startsWith("tuple")) {
                        return "(" + types(p.path("components")) + ")" + type.substring("tuple".length());
                    }
                    return type;
                })
                .collect(Collectors.joining(","));
    }

    private interface Call<T> {
        T call() throws IOException;
    }

    private static <T> T send(Call<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException("the node did not answer", e);
        }
    }
}
