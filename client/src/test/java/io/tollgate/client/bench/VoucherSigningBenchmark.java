package io.tollgate.client.bench;

import io.tollgate.client.ChannelTerms;
import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.VoucherSigner;
import io.tollgate.pricing.PriceTable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.web3j.crypto.ECKeyPair;

/**
 * What paying costs the consumer per request: the EIP-712 digest alone; digest + signature + header; and the
 * client's whole step, the durable counter (an fsync'd append) then the signature.
 * Run: {@code client/bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VoucherSigningBenchmark {
    /** anvil's public test account 1: never a real key. */
    private static final ECKeyPair KEY =
            ECKeyPair.create(new BigInteger("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", 16));

    private final ChannelTerms terms =
            new ChannelTerms("0x5fbdb2315678afecb367f032d93f642f64180aa3", 31337, 1, PriceTable.of(1000, 2500, 40_000));
    private final VoucherSigner signer = new VoucherSigner(KEY);
    private Path directory;
    private FileVoucherCounters counters;
    private long count;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("voucher-counters-bench");
        counters = new FileVoucherCounters(directory.resolve("counters"));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        counters.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public byte[] digest() {
        return VoucherSigner.digest(terms, 1, ++count);
    }

    @Benchmark
    public String digestAndSign() {
        return signer.sign(terms, 1, ++count);
    }

    @Benchmark
    public String durableCounterThenSign() {
        return signer.sign(terms, 1, counters.next(terms.channel(), terms.epoch(), 1));
    }
}
