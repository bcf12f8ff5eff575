package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
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
 * One channel seen from one key: reads its state and sends the lifecycle transactions that key may send.
 * Every transaction is simulated first ({@code eth_call}); a refusal is thrown as a
 * {@link ChannelRevertedException} naming the contract's custom error, and nothing is sent. Otherwise the
 * transaction goes out with the estimated gas (plus a fifth) and the call returns its mined receipt. Fees come
 * from a {@link FeeEstimator}: an EIP-1559 (type 2) transaction with maxFeePerGas = the fee cap (2 × base fee +
 * tip, at most the ceiling) and maxPriorityFeePerGas = the tip; a legacy (type 0) one at the node's gas price
 * only on a chain without base fee. When the chain's base fee (or legacy gas price) is above the ceiling,
 * nothing is sent.
 *
 * <p>It speaks both releases of the Intermediary: reads shared by both ({@code state()} keeps release 1's
 * shape) work on either; {@link #release()} tells which one a channel runs (asked once), and the calls of one
 * release only ({@link #startRedemption}/{@link #finishRedemption} of release 1, {@link #claim}/{@link
 * #startEpoch}/{@link #replaceOperator}/{@link #credit} of release 2) are refused by the other's contract.
 */
public final class ChannelClient {
    private static final BigInteger ZERO = BigInteger.ZERO;
    private static final String NOBODY = "0x0000000000000000000000000000000000000000";

    private final Web3j web3j;
    private final String channel;
    private final TransactionManager transactions;
    private final TransactionReceiptProcessor receipts;
    private final FeeEstimator fees;
    private final Intermediary contract;
    private volatile Long chainId;
    /** The release the channel runs, once asked ({@link #release()}). */
    private volatile Integer release;

    /** Fees asked of the node for each transaction, at most {@code gasPriceCeiling} wei per gas (0: no ceiling). */
    public ChannelClient(Web3j web3j, String channel, TransactionManager transactions, BigInteger gasPriceCeiling) {
        this(web3j, channel, transactions, FeeEstimator.uncached(web3j, new Wei(gasPriceCeiling)));
    }

    /** Fees from {@code fees} ({@link FeeEstimator#fresh()} for each transaction), capped at its ceiling. */
    public ChannelClient(Web3j web3j, String channel, TransactionManager transactions, FeeEstimator fees) {
        this.web3j = web3j;
        this.channel = channel;
        this.transactions = transactions;
        this.receipts = new PollingTransactionReceiptProcessor(web3j, 100, 600);
        this.fees = fees;
        this.contract = Intermediary.load(channel, web3j, transactions, new DefaultGasProvider());
    }

    /** A client that only reads. */
    public static ChannelClient readOnly(Web3j web3j, String channel) {
        return new ChannelClient(
                web3j,
                channel,
                new ReadonlyTransactionManager(web3j, "0x0000000000000000000000000000000000000000"),
                ZERO);
    }

    public String address() {
        return channel;
    }

    // ------------------------------------------------------------------------------------------------ reads

    public ChannelState state() {
        Intermediary.State s = read(() -> contract.state().send());
        long closeAt = s.closeAt.longValueExact();
        return new ChannelState(
                s.activeEpoch.longValueExact(),
                s.expiringEpoch.longValueExact(),
                Instant.ofEpochSecond(s.expiringUntil.longValueExact()),
                s.lastEpochStarted,
                new PriceTable(s.activePrices.stream().map(Wei::new).toList()),
                Numeric.toHexString(s.activePriceTableHash),
                new Wei(s.unredeemed),
                new Wei(s.earnings),
                new Wei(s.collateral),
                new Wei(s.totalDeposited),
                closeAt == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(closeAt)),
                s.closed,
                s.signer,
                s.pendingSigner,
                s.operator,
                s.pendingOperator,
                s.implementation);
    }

    /** The parties and terms fixed at creation. */
    public Parties parties() {
        var p = read(() -> contract.parties().send());
        return new Parties(
                p.component1(),
                p.component2(),
                p.component3(),
                p.component4(),
                java.time.Duration.ofSeconds(p.component5().longValueExact()),
                java.time.Duration.ofSeconds(p.component6().longValueExact()));
    }

    /** T_r and T_c, fixed at creation (read from {@link #parties()}). */
    public ChannelTimes times() {
        return ChannelTimes.of(parties());
    }

    /**
     * Who a channel belongs to and how it runs.
     *
     * @param token the ERC-20 it holds, {@code 0x0…0} for ether
     */
    public record Parties(
            String factory,
            String owner,
            String payout,
            String token,
            java.time.Duration tolerance,
            java.time.Duration closeDelay) {}

    /** The price table of {@code epoch} (empty for an epoch that never opened). */
    public PriceTable pricesOf(long epoch) {
        var prices =
                read(() -> contract.pricesOf(BigInteger.valueOf(epoch)).send()).component1();
        return new PriceTable(prices.stream().map(Wei::new).toList());
    }

    /** The signer whose vouchers count in {@code epoch}. */
    public String signerOf(long epoch) {
        return read(() -> contract.signerOf(BigInteger.valueOf(epoch)).send());
    }

    /** keccak-256 of the runtime code at {@code address} (e.g. the implementation behind the proxy). */
    public static String codeHash(Web3j web3j, String address) {
        String code = read(() -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST)
                .send()
                .getCode());
        return Numeric.toHexString(org.web3j.crypto.Hash.sha3(Numeric.hexStringToByteArray(code)));
    }

    /** Whether there is code at {@code address}. */
    public static boolean hasCode(Web3j web3j, String address) {
        String code = read(() -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST)
                .send()
                .getCode());
        return code != null && code.length() > 2;
    }

    /** Whether {@code factory} created {@code channel} (asked of the factory, not the channel). */
    public static boolean createdBy(Web3j web3j, String factory, String channel) {
        var contract = IntermediaryFactory.load(
                factory,
                web3j,
                new ReadonlyTransactionManager(web3j, "0x0000000000000000000000000000000000000000"),
                new DefaultGasProvider());
        return read(() -> contract.isChannel(channel).send());
    }

    /** The counts redeemed in {@code epoch}, per category. */
    public List<Long> redeemedCounts(long epoch) {
        return read(() -> contract.redeemedCounts(BigInteger.valueOf(epoch)).send()).component1().stream()
                .map(BigInteger::longValueExact)
                .toList();
    }

    /** The SLA terms fixed at creation ({@link SlaTerms#none()} for a channel without). */
    public SlaTerms slaTerms() {
        return SlaTerms.of(read(() -> contract.slaTerms().send()));
    }

    /** Whether {@code window} was reported (and its penalty, if any, paid); each window is reported once. */
    public boolean windowReported(long window) {
        return read(() -> contract.windowReported(BigInteger.valueOf(window)).send());
    }

    /** The contract's own EIP-712 digest of a monitor's window report. */
    public byte[] windowReportDigest(long window, int availabilityBps) {
        return read(() -> contract.windowReportDigest(BigInteger.valueOf(window), BigInteger.valueOf(availabilityBps))
                .send());
    }

    /** The contract's own EIP-712 digest of a voucher (to hold client code to it). */
    public byte[] voucherDigest(long epoch, int category, long count, byte[] priceTableHash) {
        return read(() -> contract.voucherDigest(
                        BigInteger.valueOf(epoch),
                        BigInteger.valueOf(category),
                        BigInteger.valueOf(count),
                        priceTableHash)
                .send());
    }

    /**
     * The release of the Intermediary the channel runs: {@code release()} of release 2 and later; 1 when the
     * contract has no such function (release 1). Asked of the chain once per client; an upgrade makes a new
     * client necessary.
     */
    public int release() {
        Integer known = release;
        if (known == null) {
            known = releaseOf(web3j, channel);
            release = known;
        }
        return known;
    }

    /**
     * The release of the Intermediary code at {@code address} (a channel, or an implementation: {@code release()}
     * is pure): 1 when a call of {@code release()} reverts or returns nothing, as on release 1. A node that does
     * not answer is an {@link java.io.UncheckedIOException}, never release 1.
     */
    public static int releaseOf(Web3j web3j, String address) {
        var function = new Function("release", List.of(), List.of(new TypeReference<Uint256>() {}));
        EthCall call = read(() -> web3j.ethCall(
                        Transaction.createEthCallTransaction(NOBODY, address, FunctionEncoder.encode(function)),
                        DefaultBlockParameterName.LATEST)
                .send());
        if (call.isReverted()
                || call.hasError()
                || call.getValue() == null
                || call.getValue().length() <= 2) {
            return 1;
        }
        var decoded = FunctionReturnDecoder.decode(call.getValue(), function.getOutputParameters());
        return decoded.isEmpty() ? 1 : ((BigInteger) decoded.getFirst().getValue()).intValueExact();
    }

    /**
     * Release 2: what the consumer's vouchers may be worth in all, for the exposure check ({@code credit()}).
     *
     * @param oldestOpenEpoch epochs below it were finished by release 1 (redeemed, never claimed again)
     * @param claimedValue the value already claimed of the epochs from {@code oldestOpenEpoch} on
     * @param total the unredeemed deposit plus {@code claimedValue}: Σ best count × price over the open epochs
     *     may reach it
     */
    public record Credit(long oldestOpenEpoch, Wei claimedValue, Wei total) {}

    /** Release 2: {@link Credit} as the channel computes it (a release-1 channel refuses the call). */
    public Credit credit() {
        var c = read(() -> release2().credit().send());
        return new Credit(c.component1().longValueExact(), new Wei(c.component2()), new Wei(c.component3()));
    }

    /** Release 1: the digest owner and payout sign to consent to an upgrade (without the migration data). */
    public byte[] upgradeConsentDigest(String implementation, BigInteger nonce, BigInteger deadline) {
        return read(() ->
                contract.upgradeConsentDigest(implementation, nonce, deadline).send());
    }

    /**
     * Release 2: the digest owner and payout sign to consent to an upgrade whose migration call's data has the
     * keccak-256 {@code dataHash}.
     */
    public byte[] upgradeConsentDigest(String implementation, byte[] dataHash, BigInteger nonce, BigInteger deadline) {
        return read(() -> release2()
                .upgradeConsentDigest(implementation, dataHash, nonce, deadline)
                .send());
    }

    // ----------------------------------------------------------------------------------------- transactions

    /** Consumer: adds ether to the deposit. */
    public TransactionReceipt depositEther(Wei amount) {
        return send("deposit", contract.deposit(amount.value(), amount.value()).encodeFunctionCall(), amount.value());
    }

    /** Consumer: approves the channel's token and adds it to the deposit. */
    public TransactionReceipt depositToken(String token, Wei amount) {
        var erc20 = DemoToken.load(token, web3j, transactions, new DefaultGasProvider());
        send(token, "approve", erc20.approve(channel, amount.value()).encodeFunctionCall(), ZERO);
        return send("deposit", contract.deposit(amount.value(), ZERO).encodeFunctionCall(), ZERO);
    }

    /** Provider (anyone may): adds ether to the SLA collateral penalties are paid from. */
    public TransactionReceipt depositCollateral(Wei amount) {
        return send(
                "depositCollateral",
                contract.depositCollateral(amount.value(), amount.value()).encodeFunctionCall(),
                amount.value());
    }

    /**
     * Anyone, once {@code window} has ended: submits at least quorum signed reports of distinct monitors; the
     * contract pays the median's tier penalty from the collateral into the consumer's deposit.
     */
    public TransactionReceipt reportWindow(long window, List<WindowReport> reports) {
        var items = reports.stream()
                .map(r -> new Intermediary.WindowReport(BigInteger.valueOf(r.availabilityBps()), r.signature()))
                .toList();
        return send(
                "reportWindow",
                contract.reportWindow(BigInteger.valueOf(window), items).encodeFunctionCall(),
                ZERO);
    }

    /** A monitor's signed availability for a window: 65 bytes r ‖ s ‖ v over the window report digest. */
    public record WindowReport(int availabilityBps, byte[] signature) {}

    /** Operator: the active epoch starts expiring; the next opens with {@code newPrices}. */
    public TransactionReceipt startRedemption(PriceTable newPrices) {
        return send(
                "startRedemption",
                contract.startRedemption(
                                newPrices.prices().stream().map(Wei::value).toList())
                        .encodeFunctionCall(),
                ZERO);
    }

    /** Operator, after T_r: redeems the expiring epoch with the best voucher of each category. */
    public TransactionReceipt finishRedemption(long epoch, List<SignedVoucher> vouchers) {
        var items = vouchers.stream()
                .map(v -> new Intermediary.Redemption(
                        BigInteger.valueOf(v.category()),
                        BigInteger.valueOf(v.count()),
                        BigInteger.valueOf(v.claimed()),
                        v.signature()))
                .toList();
        return send(
                "finishRedemption",
                contract.finishRedemption(BigInteger.valueOf(epoch), items).encodeFunctionCall(),
                ZERO);
    }

    /**
     * Release 2, operator or payout: pays, per voucher, (claimed − claimed before) × price of its category; the
     * epoch stays open. A voucher whose claimed count is not above what was claimed before is refused
     * ({@code ClaimNotAbove}): send only the categories with more to pay.
     */
    public Claimed claim(long epoch, List<SignedVoucher> vouchers) {
        var items = vouchers.stream()
                .map(v -> new IntermediaryRelease2.Redemption(
                        BigInteger.valueOf(v.category()),
                        BigInteger.valueOf(v.count()),
                        BigInteger.valueOf(v.claimed()),
                        v.signature()))
                .toList();
        var receipt =
                send("claim", release2().claim(BigInteger.valueOf(epoch), items).encodeFunctionCall(), ZERO);
        var events = IntermediaryRelease2.getClaimedEvents(receipt);
        if (events.isEmpty()) {
            throw new IllegalStateException("claim mined without a Claimed event: " + receipt.getTransactionHash());
        }
        return Claimed.of(receipt, events.getFirst());
    }

    /**
     * What one claim paid, from its {@code Claimed} event.
     *
     * @param counts the requests paid for, per category (0 for categories not claimed)
     * @param amount the wei moved into the provider's earnings
     */
    public record Claimed(String transactionHash, long epoch, List<Long> counts, Wei amount) {
        static Claimed of(TransactionReceipt receipt, IntermediaryRelease2.ClaimedEventResponse event) {
            return new Claimed(
                    receipt.getTransactionHash(),
                    event.epoch.longValueExact(),
                    event.counts.stream().map(BigInteger::longValueExact).toList(),
                    new Wei(event.amount));
        }
    }

    /**
     * Release 2, operator or payout: the active epoch starts expiring (still accepted for T_r, still claimable)
     * and the next one opens with {@code newPrices} and the pending signer. Only for a new table or signer.
     */
    public TransactionReceipt startEpoch(PriceTable newPrices) {
        return send(
                "startEpoch",
                release2()
                        .startEpoch(newPrices.prices().stream().map(Wei::value).toList())
                        .encodeFunctionCall(),
                ZERO);
    }

    /** Release 2, payout: replaces the operator at once (a leaked operator key is stopped by the cold key). */
    public TransactionReceipt replaceOperator(String newOperator) {
        return send("replaceOperator", release2().replaceOperator(newOperator).encodeFunctionCall(), ZERO);
    }

    /**
     * Anyone, with both parties' consent signatures over the consent digest of the channel's release ({@link
     * #upgradeConsentDigest}): moves the channel to {@code implementation} (a release registered in its factory)
     * and calls it with {@code data} (empty: no migration call). Same call on both releases.
     */
    public TransactionReceipt upgradeWithConsent(
            String implementation, byte[] data, BigInteger deadline, byte[] ownerConsent, byte[] payoutConsent) {
        return send(
                "upgradeWithConsent",
                contract.upgradeWithConsent(implementation, data, deadline, ownerConsent, payoutConsent)
                        .encodeFunctionCall(),
                ZERO);
    }

    /** Anyone: pays the provider's earnings to its payout address. */
    public TransactionReceipt withdraw() {
        return send("withdraw", contract.withdraw().encodeFunctionCall(), ZERO);
    }

    /** Owner: asks to close at now + T_c. */
    public TransactionReceipt requestClose() {
        return send("requestClose", contract.requestClose().encodeFunctionCall(), ZERO);
    }

    /** Payout at any time, owner after the close time: refunds the rest of the deposit. */
    public TransactionReceipt close() {
        return send("close", contract.close().encodeFunctionCall(), ZERO);
    }

    /** Owner: the signer from the next epoch on. */
    public TransactionReceipt rotateSigner(String signer) {
        return send("rotateSigner", contract.rotateSigner(signer).encodeFunctionCall(), ZERO);
    }

    // --------------------------------------------------------------------------------------- factory calls

    /** Deploys an implementation and a factory administered by {@code admin}, and registers the release. */
    public static Deployment deploy(Web3j web3j, TransactionManager admin) {
        try {
            var gas = new DefaultGasProvider();
            var implementation = Intermediary.deploy(web3j, admin, gas).send();
            var factory = IntermediaryFactory.deploy(web3j, admin, gas, admin.getFromAddress())
                    .send();
            factory.registerRelease(implementation.getContractAddress()).send();
            return new Deployment(factory.getContractAddress(), implementation.getContractAddress());
        } catch (Exception e) {
            throw new IllegalStateException("deploying the Intermediary release and factory failed", e);
        }
    }

    /**
     * Deploys release 2 of the Intermediary and registers it in {@code factory} (with its admin's key): channels
     * created from then on run release 2, and channels of release 1 may upgrade to it. Returns its address.
     */
    public static String deployRelease2(Web3j web3j, TransactionManager admin, String factory) {
        try {
            var gas = new DefaultGasProvider();
            var implementation = IntermediaryRelease2.deploy(web3j, admin, gas).send();
            IntermediaryFactory.load(factory, web3j, admin, gas)
                    .registerRelease(implementation.getContractAddress())
                    .send();
            return implementation.getContractAddress();
        } catch (Exception e) {
            throw new IllegalStateException("deploying and registering Intermediary release 2 failed", e);
        }
    }

    /**
     * Deploys another instance of release 1's code and appends it to {@code factory}'s release list: a newer
     * release with release 1's consent format, for tests that upgrade channels and must leave the factory creating
     * release-1 channels for the tests after them (the demo registers {@link #deployRelease2 release 2}). Returns
     * its address.
     */
    public static String registerNewRelease(Web3j web3j, TransactionManager admin, String factory) {
        try {
            var gas = new DefaultGasProvider();
            String implementation =
                    Intermediary.deploy(web3j, admin, gas).send().getContractAddress();
            IntermediaryFactory.load(factory, web3j, admin, gas)
                    .registerRelease(implementation)
                    .send();
            return implementation;
        } catch (Exception e) {
            throw new IllegalStateException("deploying and registering a new Intermediary release failed", e);
        }
    }

    /** The factory and the release it creates channels with. */
    public record Deployment(String factory, String implementation) {}

    /**
     * Consumer: creates a channel for {@code terms} through the factory, funding it with {@code deposit} ether
     * (zero for a token channel), and returns its client.
     */
    public static ChannelClient create(
            Web3j web3j, TransactionManager consumer, String factory, ChannelTerms terms, Wei deposit) {
        return create(web3j, consumer, factory, terms, SlaTerms.none(), deposit);
    }

    /** As {@link #create(Web3j, TransactionManager, String, ChannelTerms, Wei)}, with SLA terms. */
    public static ChannelClient create(
            Web3j web3j, TransactionManager consumer, String factory, ChannelTerms terms, SlaTerms sla, Wei deposit) {
        var contract = IntermediaryFactory.load(factory, web3j, consumer, new DefaultGasProvider());
        var params = params(terms, sla);
        var client = new ChannelClient(web3j, factory, consumer, BigInteger.TEN.pow(12));
        TransactionReceipt receipt = client.send(
                factory,
                "createChannel",
                contract.createChannel(params, deposit.value()).encodeFunctionCall(),
                deposit.value());
        var created = IntermediaryFactory.getChannelCreatedEvents(receipt);
        if (created.isEmpty()) {
            throw new IllegalStateException("createChannel mined without a ChannelCreated event: " + receipt);
        }
        return new ChannelClient(web3j, created.getFirst().channel, consumer, BigInteger.TEN.pow(12));
    }

    /** The factory's {@code Params} for {@code terms} and {@code sla}. */
    static IntermediaryFactory.Params params(ChannelTerms terms, SlaTerms sla) {
        return new IntermediaryFactory.Params(
                terms.owner(),
                terms.signer(),
                terms.payout(),
                terms.operator(),
                terms.token().orElse(NOBODY),
                terms.prices().prices().stream().map(Wei::value).toList(),
                BigInteger.valueOf(terms.tolerance().toSeconds()),
                BigInteger.valueOf(terms.closeDelay().toSeconds()),
                sla.toFactory());
    }

    // -------------------------------------------------------------------------------------------- internals

    private TransactionReceipt send(String call, String data, BigInteger value) {
        return send(channel, call, data, value);
    }

    TransactionReceipt send(String to, String call, String data, BigInteger value) {
        String from = transactions.getFromAddress();
        try {
            var simulation = Transaction.createFunctionCallTransaction(from, null, null, null, to, value, data);
            EthCall preflight =
                    web3j.ethCall(simulation, DefaultBlockParameterName.PENDING).send();
            if (preflight.isReverted() || preflight.hasError()) {
                throw RevertDecoder.decode(call, revertData(preflight));
            }
            BigInteger gas = web3j.ethEstimateGas(simulation).send().getAmountUsed();
            BigInteger limit = gas.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5));
            Fees now = fees.fresh();
            Wei ceiling = fees.ceiling();
            if (!ceiling.isZero() && now.floor().compareTo(ceiling) > 0) {
                throw new IllegalStateException(
                        call + ": gas price " + now.floor() + " wei is above the ceiling of " + ceiling);
            }
            var sent = switch (now) {
                case Fees.Eip1559 f ->
                    transactions.sendEIP1559Transaction(
                            chainId(), f.tip().value(), f.cap().value(), limit, to, data, value);
                case Fees.Legacy l -> transactions.sendTransaction(l.gasPrice().value(), limit, to, data, value);
            };
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

    private long chainId() throws IOException {
        Long known = chainId;
        if (known == null) {
            known = web3j.ethChainId().send().getChainId().longValueExact();
            chainId = known;
        }
        return known;
    }

    private static String revertData(EthCall call) {
        if (call.getError() != null && call.getError().getData() != null) {
            String data = call.getError().getData().toString().replace("\"", "");
            return data.startsWith("0x") ? data : null;
        }
        return call.getValue();
    }

    private IntermediaryRelease2 release2() {
        return IntermediaryRelease2.load(channel, web3j, transactions, new DefaultGasProvider());
    }

    interface Read<T> {
        T get() throws Exception;
    }

    /** Node unreachable: {@link java.io.UncheckedIOException}; anything else (a revert, no contract there): {@link IllegalStateException}. */
    static <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the node did not answer", e);
        } catch (Exception e) {
            throw new IllegalStateException("reading the channel failed: " + e.getMessage(), e);
        }
    }
}
