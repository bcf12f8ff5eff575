package io.tollgate.contracts.channel;

import static io.tollgate.contracts.channel.NodeReads.read;

import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The IntermediaryFactory: the channels it created and the releases it registered (static reads), the {@code
 * createChannel} call a consumer sends ({@link #create}, or {@link #createChannelData} for a wallet to send), and
 * its batch entry point seen from an operator (or payout) key: {@code claimMany} claims on many channels of
 * release 2 in one transaction, simulated first and sent like every {@link ChannelClient} call. A claim the channel
 * refuses does not revert the others: the factory reports it ({@code ClaimFailed}) and it is returned here with its
 * decoded error. Seen from a token holder's key, the permit entry points create and fund a channel in an EIP-2612
 * token ({@link #createChannelWithPermit}), top its deposit up ({@link #depositWithPermit}) or add SLA collateral
 * ({@link #depositCollateralWithPermit}) in one transaction with one permit ({@link TokenPermits}) naming the
 * factory as spender. The channel's accounting is as for approve-then-deposit; its {@code Deposited} event names
 * the factory as {@code from}.
 */
public final class FactoryClient {
    private static final String NOBODY = "0x0000000000000000000000000000000000000000";

    private final Web3j web3j;
    private final String factory;
    private final TransactionManager transactions;
    private final BigInteger gasPriceCeiling;
    private final TransactionSender sender;

    public FactoryClient(Web3j web3j, String factory, TransactionManager transactions, BigInteger gasPriceCeiling) {
        this.web3j = web3j;
        this.factory = factory;
        this.transactions = transactions;
        this.gasPriceCeiling = gasPriceCeiling;
        this.sender =
                new TransactionSender(web3j, transactions, FeeEstimator.uncached(web3j, new Wei(gasPriceCeiling)));
    }

    // ------------------------------------------------------------------------------------------------ reads

    /** Whether {@code factory} created {@code channel} (asked of the factory, not the channel). */
    public static boolean createdBy(Web3j web3j, String factory, String channel) {
        return read(() -> readOnly(web3j, factory).isChannel(channel).send());
    }

    /** The implementations {@code factory} registered, oldest first, as lower-case addresses (release n at n − 1). */
    public static List<String> releases(Web3j web3j, String factory) {
        List<?> releases = read(() -> readOnly(web3j, factory).releases().send());
        return releases.stream().map(r -> r.toString().toLowerCase(Locale.ROOT)).toList();
    }

    private static IntermediaryFactory readOnly(Web3j web3j, String factory) {
        return IntermediaryFactory.load(
                factory, web3j, new ReadonlyTransactionManager(web3j, NOBODY), new DefaultGasProvider());
    }

    // ------------------------------------------------------------------------------------- creating channels

    /**
     * The data of the factory's {@code createChannel} call for {@code terms} with release 1's SLA terms ({@link
     * SlaTerms#none()}: no SLA), funded with {@code deposit} ether (the call's value; zero for a token channel).
     */
    public static String createChannelData(ChannelTerms terms, SlaTerms sla, Wei deposit) {
        return createChannelData(terms, sla.toFactory());
    }

    /**
     * As {@link #createChannelData(ChannelTerms, SlaTerms, Wei)} for a factory creating release 2, whose SLA
     * windows start at the channel's creation and whose call carries {@code reportPeriod} instead.
     */
    public static String createChannelData(ChannelTerms terms, SlaTerms sla, Duration reportPeriod, Wei deposit) {
        return createChannelData(terms, SlaSettlement.factoryTerms(sla, reportPeriod));
    }

    private static String createChannelData(ChannelTerms terms, IntermediaryFactory.Sla sla) {
        return FunctionEncoder.encode(
                new Function(IntermediaryFactory.FUNC_CREATECHANNEL, List.of(params(terms, sla)), List.of()));
    }

    /**
     * The data of the factory's {@code createChannelWithPermit} call for a wallet to send (value zero): creates the
     * channel for {@code terms} with release 1's SLA terms and deposits the permit's value, taken from the sender
     * with the permit (or, for {@link TokenPermits#allowanceOnly}, with the allowance the sender approved the
     * factory for).
     */
    public static String createChannelWithPermitData(ChannelTerms terms, SlaTerms sla, TokenPermits.Permit permit) {
        return createChannelWithPermitData(terms, sla.toFactory(), permit);
    }

    /** As {@link #createChannelWithPermitData(ChannelTerms, SlaTerms, TokenPermits.Permit)} for release 2. */
    public static String createChannelWithPermitData(
            ChannelTerms terms, SlaTerms sla, Duration reportPeriod, TokenPermits.Permit permit) {
        return createChannelWithPermitData(terms, SlaSettlement.factoryTerms(sla, reportPeriod), permit);
    }

    private static String createChannelWithPermitData(
            ChannelTerms terms, IntermediaryFactory.Sla sla, TokenPermits.Permit permit) {
        return FunctionEncoder.encode(new Function(
                IntermediaryFactory.FUNC_CREATECHANNELWITHPERMIT,
                permitArguments(params(terms, sla), permit),
                List.of()));
    }

    /** The data of the factory's {@code depositWithPermit(channel, ...)} for a wallet to send (value zero). */
    public static String depositWithPermitData(String channel, TokenPermits.Permit permit) {
        return fundingData(IntermediaryFactory.FUNC_DEPOSITWITHPERMIT, channel, permit);
    }

    /** The data of the factory's {@code depositCollateralWithPermit(channel, ...)} for a wallet to send. */
    public static String depositCollateralWithPermitData(String channel, TokenPermits.Permit permit) {
        return fundingData(IntermediaryFactory.FUNC_DEPOSITCOLLATERALWITHPERMIT, channel, permit);
    }

    private static String fundingData(String function, String channel, TokenPermits.Permit permit) {
        return FunctionEncoder.encode(new Function(
                function, permitArguments(new org.web3j.abi.datatypes.Address(channel), permit), List.of()));
    }

    /** {@code first}, then the permit's amount, deadline, v, r and s: the factory's permit entry points' arguments. */
    private static List<org.web3j.abi.datatypes.Type> permitArguments(
            org.web3j.abi.datatypes.Type<?> first, TokenPermits.Permit permit) {
        return List.of(
                first,
                new Uint256(permit.value()),
                new Uint256(permit.deadline()),
                new Uint8(permit.v()),
                new Bytes32(permit.r()),
                new Bytes32(permit.s()));
    }

    /** The factory's {@code Params} for {@code terms} and {@code sla}. */
    static IntermediaryFactory.Params params(ChannelTerms terms, SlaTerms sla) {
        return params(terms, sla.toFactory());
    }

    private static IntermediaryFactory.Params params(ChannelTerms terms, IntermediaryFactory.Sla sla) {
        return new IntermediaryFactory.Params(
                terms.owner(),
                terms.signer(),
                terms.payout(),
                terms.operator(),
                terms.token().orElse(NOBODY),
                terms.prices().prices().stream().map(Wei::value).toList(),
                BigInteger.valueOf(terms.tolerance().toSeconds()),
                BigInteger.valueOf(terms.closeDelay().toSeconds()),
                sla);
    }

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
        var sender =
                new TransactionSender(web3j, consumer, FeeEstimator.uncached(web3j, new Wei(BigInteger.TEN.pow(12))));
        TransactionReceipt receipt =
                sender.send(factory, "createChannel", createChannelData(terms, sla, deposit), deposit.value());
        var created = IntermediaryFactory.getChannelCreatedEvents(receipt);
        if (created.isEmpty()) {
            throw new IllegalStateException("createChannel mined without a ChannelCreated event: " + receipt);
        }
        return new ChannelClient(web3j, created.getFirst().channel, consumer, BigInteger.TEN.pow(12));
    }

    // ------------------------------------------------------------------------------------ funding with a permit

    /** The factory's address. */
    public String address() {
        return factory;
    }

    /**
     * Creates a channel for {@code terms} (a token channel: {@code terms.token()} must be the permit's token) and
     * deposits the permit's value in the same transaction, with this key's permit to the factory; returns the
     * channel's client. The permit's owner must be this key.
     */
    public ChannelClient createChannelWithPermit(ChannelTerms terms, SlaTerms sla, TokenPermits.Permit permit) {
        if (terms.token().filter(t -> t.equalsIgnoreCase(permit.token())).isEmpty()) {
            throw new IllegalArgumentException(
                    "the permit is for " + permit.token() + ", the channel's token is " + terms.token());
        }
        var receipt = sender.send(
                factory,
                "createChannelWithPermit",
                contract()
                        .createChannelWithPermit(
                                params(terms, sla),
                                permit.value(),
                                permit.deadline(),
                                BigInteger.valueOf(permit.v()),
                                permit.r(),
                                permit.s())
                        .encodeFunctionCall(),
                BigInteger.ZERO);
        var created = IntermediaryFactory.getChannelCreatedEvents(receipt);
        if (created.isEmpty()) {
            throw new IllegalStateException(
                    "createChannelWithPermit mined without a ChannelCreated event: " + receipt.getTransactionHash());
        }
        return new ChannelClient(web3j, created.getFirst().channel, transactions, gasPriceCeiling);
    }

    /** Adds the permit's value to the consumer's deposit in {@code channel} (one of this factory's). */
    public TransactionReceipt depositWithPermit(String channel, TokenPermits.Permit permit) {
        return sendWithPermit("depositWithPermit", IntermediaryFactory::depositWithPermit, channel, permit);
    }

    /** Provider: adds the permit's value to the SLA collateral of {@code channel} (one of this factory's). */
    public TransactionReceipt depositCollateralWithPermit(String channel, TokenPermits.Permit permit) {
        return sendWithPermit(
                "depositCollateralWithPermit", IntermediaryFactory::depositCollateralWithPermit, channel, permit);
    }

    /** A factory call on a channel paid by an EIP-2612 permit: {@code (channel, value, deadline, v, r, s)}. */
    private interface PermitCall {
        RemoteFunctionCall<TransactionReceipt> of(
                IntermediaryFactory factory,
                String channel,
                BigInteger value,
                BigInteger deadline,
                BigInteger v,
                byte[] r,
                byte[] s);
    }

    private TransactionReceipt sendWithPermit(
            String name, PermitCall call, String channel, TokenPermits.Permit permit) {
        String data = call.of(
                        contract(),
                        channel,
                        permit.value(),
                        permit.deadline(),
                        BigInteger.valueOf(permit.v()),
                        permit.r(),
                        permit.s())
                .encodeFunctionCall();
        return sender.send(factory, name, data, BigInteger.ZERO);
    }

    private IntermediaryFactory contract() {
        return IntermediaryFactory.load(factory, web3j, transactions, new DefaultGasProvider());
    }

    // ------------------------------------------------------------------------------------------ batch claims

    /** One channel's claim in a batch: an epoch and the vouchers of the categories with more to pay. */
    public record ClaimCall(String channel, long epoch, List<SignedVoucher> vouchers) {}

    /**
     * What a batch did, per channel (lower-case address).
     *
     * @param paid the claims that went through, with what each paid
     * @param failed the claims their channel refused, with the decoded error
     */
    public record Batch(
            String transactionHash,
            Map<String, ChannelClient.Claimed> paid,
            Map<String, ChannelRevertedException> failed) {}

    /** Claims on every channel of {@code calls} in one transaction, each on behalf of this key. */
    public Batch claimMany(List<ClaimCall> calls) {
        var items = calls.stream()
                .map(c -> new IntermediaryFactory.ClaimCall(
                        c.channel(),
                        BigInteger.valueOf(c.epoch()),
                        c.vouchers().stream()
                                .map(v -> new IntermediaryFactory.Redemption(
                                        BigInteger.valueOf(v.category()),
                                        BigInteger.valueOf(v.count()),
                                        BigInteger.valueOf(v.claimed()),
                                        v.signature()))
                                .toList()))
                .toList();
        var contract = IntermediaryFactory.load(factory, web3j, transactions, new DefaultGasProvider());
        var receipt =
                sender.send(factory, "claimMany", contract.claimMany(items).encodeFunctionCall(), BigInteger.ZERO);
        Map<String, ChannelClient.Claimed> paid = new LinkedHashMap<>();
        for (var event : IntermediaryRelease2.getClaimedEvents(receipt)) {
            paid.put(event.log.getAddress().toLowerCase(Locale.ROOT), ChannelClient.Claimed.of(receipt, event));
        }
        Map<String, ChannelRevertedException> failed = new LinkedHashMap<>();
        for (var event : IntermediaryFactory.getClaimFailedEvents(receipt)) {
            failed.put(
                    event.channel.toLowerCase(Locale.ROOT),
                    RevertDecoder.decode("claim", Numeric.toHexString(event.reason)));
        }
        return new Batch(receipt.getTransactionHash(), Map.copyOf(paid), Map.copyOf(failed));
    }
}
