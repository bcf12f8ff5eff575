package io.tollgate.gateway.economics;

import io.tollgate.gateway.economics.ChainTransactions.Tx;
import io.tollgate.gateway.economics.ChannelRun.Mode;
import io.tollgate.gateway.economics.ChannelRun.Result;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The runs as two CSV files beside the document: every transaction ({@code economics-transactions.csv}) and one
 * line per run ({@code economics-runs.csv}, with the commit it ran on). The document can be rendered again from
 * them, e.g. to keep the runs of release 1's old scheduler, whose code is gone, beside new ones.
 */
final class RecordedRuns {

    static final String RUNS_HEADER =
            "run,k,base_fee_wei,served_wei,earned_wei,deposited_wei,outcomes,reasons,commit\n";
    static final String TX_HEADER = "run,k,base_fee_wei,who,block,time,function,type,gas_used,"
            + "effective_gas_price_wei,calldata_bytes,value_wei,hash\n";

    private RecordedRuns() {}

    static String runs(List<Result> results) {
        var out = new StringBuilder(RUNS_HEADER);
        for (Result r : results) {
            out.append(key(r.mode()))
                    .append(',')
                    .append(r.categories())
                    .append(',')
                    .append(r.baseFee());
            out.append(',')
                    .append(r.served())
                    .append(',')
                    .append(r.earned())
                    .append(',')
                    .append(r.deposited());
            out.append(',').append(map(r.outcomes())).append(',').append(map(r.reasons()));
            out.append(',').append(r.commit()).append('\n');
        }
        return out.toString();
    }

    static String transactions(List<Result> results) {
        var out = new StringBuilder(TX_HEADER);
        for (Result r : results) {
            rows(out, r, "operator", r.operatorTxs());
            rows(out, r, "payout", r.payoutTxs());
            rows(out, r, "consumer", r.consumerTxs());
        }
        return out.toString();
    }

    /** The recorded runs of {@code mode}, from the two files; empty when there are none. */
    static List<Result> load(Path runsCsv, Path transactionsCsv, Mode mode) throws IOException {
        if (!Files.exists(runsCsv) || !Files.exists(transactionsCsv)) {
            return List.of();
        }
        Map<String, List<String[]>> txs = new LinkedHashMap<>();
        for (String line : Files.readAllLines(transactionsCsv)
                .subList(1, Files.readAllLines(transactionsCsv).size())) {
            String[] f = line.split(",", -1);
            txs.computeIfAbsent(f[0] + "/" + f[1] + "/" + f[2], x -> new ArrayList<>())
                    .add(f);
        }
        var results = new ArrayList<Result>();
        var lines = Files.readAllLines(runsCsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (!f[0].equals(key(mode))) {
                continue;
            }
            var mine = txs.getOrDefault(f[0] + "/" + f[1] + "/" + f[2], List.of());
            results.add(new Result(
                    mode,
                    Integer.parseInt(f[1]),
                    new BigInteger(f[2]),
                    of(mine, "operator"),
                    of(mine, "payout"),
                    of(mine, "consumer"),
                    unmap(f[6]),
                    unmap(f[7]),
                    new BigInteger(f[3]),
                    new BigInteger(f[4]),
                    new BigInteger(f[5]),
                    f[8]));
        }
        return results;
    }

    private static List<Tx> of(List<String[]> rows, String who) {
        return rows.stream()
                .filter(f -> f[3].equals(who))
                .map(f -> new Tx(
                        f[12],
                        Long.parseLong(f[4]),
                        Instant.parse(f[5]),
                        who,
                        "",
                        f[6],
                        Integer.parseInt(f[7]),
                        new BigInteger(f[8]),
                        new BigInteger(f[9]),
                        Integer.parseInt(f[10]),
                        new BigInteger(f[11])))
                .toList();
    }

    private static void rows(StringBuilder out, Result r, String who, List<Tx> txs) {
        for (Tx t : txs) {
            out.append(key(r.mode()))
                    .append(',')
                    .append(r.categories())
                    .append(',')
                    .append(r.baseFee())
                    .append(',');
            out.append(who)
                    .append(',')
                    .append(t.block())
                    .append(',')
                    .append(t.time())
                    .append(',');
            out.append(t.function())
                    .append(',')
                    .append(t.type())
                    .append(',')
                    .append(t.gasUsed())
                    .append(',');
            out.append(t.effectiveGasPrice())
                    .append(',')
                    .append(t.calldataBytes())
                    .append(',');
            out.append(t.value()).append(',').append(t.hash()).append('\n');
        }
    }

    static String key(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String map(Map<String, Integer> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    private static Map<String, Integer> unmap(String text) {
        var m = new LinkedHashMap<String, Integer>();
        if (!text.isEmpty()) {
            for (String pair : text.split(";")) {
                m.put(pair.substring(0, pair.indexOf('=')), Integer.valueOf(pair.substring(pair.indexOf('=') + 1)));
            }
        }
        return m;
    }
}
