package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * The SLA of a channel on release 2 of the Intermediary, settled in two steps: during a window's report period
 * anyone adds monitor-signed reports ({@link #addReports}, each monitor once), then {@link #settleWindow} takes the
 * median of all reports added (at least a quorum) and pays the tier's penalty. Release 1 reports in one step
 * ({@link ChannelClient#reportWindow}); {@link #release} tells them apart. Like {@link ChannelClient}, every
 * transaction is simulated first and a refusal is thrown as a {@link ChannelRevertedException} naming the
 * contract's custom error.
 */
public final class SlaSettlement {
    private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

    private final Web3j web3j;
    private final String channel;
    private final TransactionManager transactions;
    private final TransactionReceiptProcessor receipts;
    private final BigInteger gasPriceCeiling;
    private final IntermediaryRelease2 contract;

    public SlaSettlement(Web3j web3j, String channel, TransactionManager transactions, BigInteger gasPriceCeiling) {
        this.web3j = web3j;
        this.channel = channel;
        this.transactions = transactions;
        this.receipts = new PollingTransactionReceiptProcessor(web3j, 100, 600);
        this.gasPriceCeiling = gasPriceCeiling;
        this.contract = IntermediaryRelease2.load(channel, web3j, transactions, new DefaultGasProvider());
    }

    /** A settlement that only reads. */
    public static SlaSettlement readOnly(Web3j web3j, String channel) {
        return new SlaSettlement(web3j, channel, new ReadonlyTransactionManager(web3j, ZERO_ADDRESS), BigInteger.ZERO);
    }

    public String address() {
        return channel;
    }

    /**
     * The release the channel's code is: what its {@code release()} answers, 1 when it has no such function
     * (release 1). A node that does not answer throws {@link UncheckedIOException}.
     */
    public static int release(Web3j web3j, String channel) {
        String data = FunctionEncoder.encode(new Function("release", List.of(), List.of()));
        EthCall call;
        try {
            call = web3j.ethCall(
                            Transaction.createEthCallTransaction(ZERO_ADDRESS, channel, data),
                            DefaultBlockParameterName.LATEST)
                    .send();
        } catch (IOException e) {
            throw new UncheckedIOException("the node did not answer", e);
        }
        if (call.isReverted()
                || call.hasError()
                || call.getValue() == null
                || call.getValue().length() < 66) {
            return 1;
        }
        return Numeric.toBigInt(call.getValue().substring(0, 66)).intValueExact();
    }

    /** The release the factory creates new channels on (its latest registered implementation). */
    public static int latestRelease(Web3j web3j, String factory) {
        var contract = IntermediaryFactory.load(
                factory, web3j, new ReadonlyTransactionManager(web3j, ZERO_ADDRESS), new DefaultGasProvider());
        return release(web3j, read(() -> contract.latestRelease().send()));
    }

    /**
     * When the factory created {@code channel}: the time of the block of its {@code ChannelCreated} event, where
     * release 2 starts the channel's SLA windows. Empty when the factory never created it.
     */
    public static java.util.Optional<Instant> createdAt(Web3j web3j, String factory, String channel) {
        var filter = new org.web3j.protocol.core.methods.request.EthFilter(
                DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, factory);
        filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(IntermediaryFactory.CHANNELCREATED_EVENT));
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(channel), 64));
        return read(() -> {
            var logs = web3j.ethGetLogs(filter).send().getLogs();
            if (logs.isEmpty()) {
                return java.util.Optional.<Instant>empty();
            }
            var log = (org.web3j.protocol.core.methods.response.Log)
                    logs.getFirst().get();
            var block =
                    web3j.ethGetBlockByHash(log.getBlockHash(), false).send().getBlock();
            return java.util.Optional.of(
                    Instant.ofEpochSecond(block.getTimestamp().longValueExact()));
        });
    }

    /** Whether the channel settles its SLA in two steps (release 2 or later). */
    public static boolean twoStep(Web3j web3j, String channel) {
        return release(web3j, channel) >= 2;
    }

    /**
     * The SLA terms as release 2's factory call takes them: the third field, release 1's window start, is the
     * report period (windows start at the channel's creation).
     */
    public static IntermediaryFactory.Sla factoryTerms(SlaTerms terms, Duration reportPeriod) {
        if (!terms.present()) {
            return SlaTerms.none().toFactory();
        }
        if (reportPeriod.isNegative() || reportPeriod.isZero() || reportPeriod.toNanos() % 1_000_000_000 != 0) {
            throw new IllegalArgumentException("the report period must be whole seconds above zero: " + reportPeriod);
        }
        var asRelease1 = terms.toFactory();
        return new IntermediaryFactory.Sla(
                asRelease1.targetBps,
                asRelease1.windowLength,
                BigInteger.valueOf(reportPeriod.toSeconds()),
                asRelease1.tiers,
                asRelease1.monitors,
                asRelease1.quorum);
    }

    /**
     * A window's reports on chain so far and its times.
     *
     * @param availabilities per monitor index (of the channel's monitors), valid where {@link #reported} is true
     * @param reportsUntil reports are accepted before this time
     * @param settleUntil the window can be settled before this time
     */
    public record WindowReports(
            List<Integer> availabilities,
            BigInteger reportedMask,
            boolean settled,
            Instant endsAt,
            Instant reportsUntil,
            Instant settleUntil) {
        public WindowReports {
            availabilities = List.copyOf(availabilities);
        }

        public boolean reported(int monitorIndex) {
            return reportedMask.testBit(monitorIndex);
        }

        /** How many monitors' reports were added. */
        public int count() {
            return reportedMask.bitCount();
        }

        /** The reported availabilities, in monitor order. */
        public List<Integer> reportedValues() {
            return java.util.stream.IntStream.range(0, availabilities.size())
                    .filter(this::reported)
                    .mapToObj(availabilities::get)
                    .toList();
        }
    }

    public WindowReports windowReports(long window) {
        var r = read(() -> contract.windowReports(BigInteger.valueOf(window)).send());
        return new WindowReports(
                r.component1().stream().map(BigInteger::intValueExact).toList(),
                r.component2(),
                r.component3(),
                Instant.ofEpochSecond(r.component4().longValueExact()),
                Instant.ofEpochSecond(r.component5().longValueExact()),
                Instant.ofEpochSecond(r.component6().longValueExact()));
    }

    /** How long after a window's end reports may be added (settlement may follow for as long again). */
    public Duration reportPeriod() {
        return Duration.ofSeconds(read(() -> contract.reportPeriod().send()).longValueExact());
    }

    /** Anyone, during the window's report period: adds signed reports of monitors not reported yet. */
    public TransactionReceipt addReports(long window, List<ChannelClient.WindowReport> reports) {
        var items = reports.stream()
                .map(r -> new IntermediaryRelease2.WindowReport(BigInteger.valueOf(r.availabilityBps()), r.signature()))
                .toList();
        return send(
                "addReports",
                contract.addReports(BigInteger.valueOf(window), items).encodeFunctionCall());
    }

    /** What a settlement paid (its {@code WindowSettled} event). */
    public record Settled(long window, int medianBps, int reports, Wei penalty, String txHash) {}

    /**
     * Anyone, once the report period is over (or at once when every monitor reported), before {@code settleUntil}:
     * settles the window on the median of all reports added.
     */
    public Settled settleWindow(long window) {
        TransactionReceipt receipt = send(
                "settleWindow",
                contract.settleWindow(BigInteger.valueOf(window)).encodeFunctionCall());
        var events = IntermediaryRelease2.getWindowSettledEvents(receipt);
        if (events.isEmpty()) {
            throw new IllegalStateException("settleWindow mined without a WindowSettled event: " + receipt);
        }
        var e = events.getFirst();
        return new Settled(
                e.window.longValueExact(),
                e.medianBps.intValueExact(),
                e.reports.intValueExact(),
                new Wei(e.penalty),
                receipt.getTransactionHash());
    }

    // -------------------------------------------------------------------------------------------- internals

    private TransactionReceipt send(String call, String data) {
        String from = transactions.getFromAddress();
        try {
            var simulation =
                    Transaction.createFunctionCallTransaction(from, null, null, null, channel, BigInteger.ZERO, data);
            EthCall preflight =
                    web3j.ethCall(simulation, DefaultBlockParameterName.PENDING).send();
            if (preflight.isReverted() || preflight.hasError()) {
                throw RevertDecoder.decode(call, revertData(preflight));
            }
            BigInteger gas = web3j.ethEstimateGas(simulation).send().getAmountUsed();
            BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice();
            if (gasPriceCeiling.signum() > 0 && gasPrice.compareTo(gasPriceCeiling) > 0) {
                throw new IllegalStateException(
                        call + ": gas price " + gasPrice + " wei is above the ceiling of " + gasPriceCeiling);
            }
            var sent = transactions.sendTransaction(
                    gasPrice,
                    gas.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5)),
                    channel,
                    data,
                    BigInteger.ZERO);
            if (sent.hasError()) {
                throw new IllegalStateException(call + " was not accepted by the node: "
                        + sent.getError().getMessage());
            }
            TransactionReceipt receipt = receipts.waitForTransactionReceipt(sent.getTransactionHash());
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException(call + " failed on chain: " + receipt.getTransactionHash());
            }
            return receipt;
        } catch (IOException | TransactionException e) {
            throw new IllegalStateException(call + ": the node did not answer", e);
        }
    }

    private static String revertData(EthCall call) {
        if (call.getError() != null && call.getError().getData() != null) {
            String data = call.getError().getData().toString().replace("\"", "");
            return data.startsWith("0x") ? data : null;
        }
        return call.getValue();
    }

    private interface Read<T> {
        T get() throws Exception;
    }

    private static <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (IOException e) {
            throw new UncheckedIOException("the node did not answer", e);
        } catch (Exception e) {
            throw new IllegalStateException("reading the channel's SLA failed: " + e.getMessage(), e);
        }
    }
}
