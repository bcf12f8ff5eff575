package io.tollgate.gateway.bench;

import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.GatewayChainProperties;
import io.tollgate.gateway.chain.RefreshingChannelStateCache;
import io.tollgate.gateway.chain.StaticChannelStateSource;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.ledger.LedgerProperties;
import io.tollgate.gateway.ledger.RedisVoucherLedger;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.payment.PaymentPolicy;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.Secp256k1SignatureCheck;
import io.tollgate.gateway.voucher.SignatureCheck;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * The per-request check, step by step: header parse; parse + EIP-712 digest + libsecp256k1 recovery; parse +
 * cache lookup + policy + recovery (everything before Redis); and the ledger's Lua round trip on the real Redis.
 * Run: {@code gateway/bench/jmh.sh} (builds the test classes and runs JMH on them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VoucherCheckBenchmark {

    private static final String PROVIDER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    private static final String FACTORY = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";

    private String header;
    private final SignatureCheck signatures = new Secp256k1SignatureCheck();
    private RefreshingChannelStateCache cache;
    private final PaymentPolicy policy = new PaymentPolicy(Duration.ofSeconds(10));
    private Listing listing;
    private String channel;
    private RealRedis redis;
    private RedisVoucherLedger ledger;
    private long count;

    @Setup(Level.Trial)
    public void setUp() {
        channel = RealRedis.randomChannel();
        var table = PriceTable.of(1000, 2500);
        header = TestVouchers.header(TestVouchers.SIGNER, 31337, channel, 1, 0, 42, table.hash());
        var chainProperties = new ChainProperties(
                "http://127.0.0.1:8545",
                31337,
                List.of(),
                Duration.ofSeconds(60),
                Duration.ofMinutes(15),
                java.math.BigInteger.ONE);
        var properties = new GatewayChainProperties(
                List.of(),
                Duration.ofSeconds(10),
                1000,
                Map.of(
                        channel,
                        new GatewayChainProperties.StaticChannel(
                                TestVouchers.SIGNER.getAddress(),
                                PROVIDER,
                                FACTORY,
                                List.of(Wei.of(1000), Wei.of(2500)),
                                Wei.parse("1000000000000000000000000000000"),
                                io.tollgate.gateway.chain.TestChain.OPERATOR,
                                null,
                                ChannelState.ETHER,
                                Duration.ofSeconds(60),
                                Duration.ofSeconds(900))),
                io.tollgate.settings.Secret.NONE,
                Duration.ofSeconds(5));
        cache = new RefreshingChannelStateCache(
                new StaticChannelStateSource(chainProperties, properties),
                Clock.systemUTC(),
                Duration.ofHours(1),
                Duration.ofHours(2),
                Duration.ofSeconds(5));
        cache.lookup(channel).block();
        listing = new Listing(
                "bench",
                PROVIDER,
                FACTORY,
                URI.create("http://x"),
                table.prices(),
                io.tollgate.gateway.chain.TestChain.OPERATOR,
                ChannelState.ETHER,
                io.tollgate.pricing.TokenUnit.ETHER,
                new Listing.Admission.Configured(
                        table.prices(), Duration.ofSeconds(10), Duration.ofDays(1), Duration.ZERO));
        redis = RealRedis.connect();
        ledger = redis.ledger(new LedgerProperties(1024, "tollgate-bench"), Clock.systemUTC());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ledger.close();
        redis.close();
    }

    @Benchmark
    public PaidVoucher parse() {
        return VoucherHeaderCodec.decode(header);
    }

    @Benchmark
    public SignatureCheck.SignatureOutcome parseAndRecover() {
        return signatures.check(VoucherHeaderCodec.decode(header).voucher(), 31337, TestVouchers.SIGNER.getAddress());
    }

    @Benchmark
    public SignatureCheck.SignatureOutcome parseCachePolicyRecover() {
        var voucher = VoucherHeaderCodec.decode(header);
        ChannelState state = ((ChannelLookup.Found)
                        cache.lookup(voucher.voucher().channel().value()).block())
                .state();
        if (!(policy.check(voucher.voucher(), state, listing, Optional.empty(), 0, Instant.now())
                instanceof PaymentPolicy.Verdict.Priced)) {
            throw new IllegalStateException("refused");
        }
        return signatures.check(voucher.voucher(), 31337, state.signer());
    }

    @Benchmark
    public LedgerOutcome ledgerRoundTrip() {
        return ledger.record(new LedgerEntry(
                        channel, 1, 0, ++count, Wei.of(1000), Wei.parse("1000000000000000000000000000000"), 1, header))
                .block();
    }
}
