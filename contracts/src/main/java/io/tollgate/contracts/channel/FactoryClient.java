package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The factory's entry points beyond {@link ChannelClient#create}, each simulated first and sent like every {@link
 * ChannelClient} call (a refusal is a {@link ChannelRevertedException} and nothing is sent):
 *
 * <ul>
 *   <li>seen from an operator (or payout) key, {@code claimMany} claims on many channels of release 2 in one
 *       transaction. A claim the channel refuses does not revert the others: the factory reports it ({@code
 *       ClaimFailed}) and it is returned here with its decoded error;
 *   <li>seen from a token holder's key, the permit entry points create and fund a channel in an EIP-2612 token
 *       ({@link #createChannelWithPermit}), top its deposit up ({@link #depositWithPermit}) or add SLA collateral
 *       ({@link #depositCollateralWithPermit}) in one transaction with one permit ({@link TokenPermits}) naming the
 *       factory as spender. The channel's accounting is as for approve-then-deposit; its {@code Deposited} event
 *       names the factory as {@code from}.
 * </ul>
 */
public final class FactoryClient {
    private final Web3j web3j;
    private final String factory;
    private final TransactionManager transactions;
    private final BigInteger gasPriceCeiling;
    private final ChannelClient sender;

    public FactoryClient(Web3j web3j, String factory, TransactionManager transactions, BigInteger gasPriceCeiling) {
        this.web3j = web3j;
        this.factory = factory;
        this.transactions = transactions;
        this.gasPriceCeiling = gasPriceCeiling;
        this.sender = new ChannelClient(web3j, factory, transactions, gasPriceCeiling);
    }

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
                                ChannelClient.params(terms, sla),
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
        return sender.send(
                factory,
                "depositWithPermit",
                contract()
                        .depositWithPermit(
                                channel,
                                permit.value(),
                                permit.deadline(),
                                BigInteger.valueOf(permit.v()),
                                permit.r(),
                                permit.s())
                        .encodeFunctionCall(),
                BigInteger.ZERO);
    }

    /** Provider: adds the permit's value to the SLA collateral of {@code channel} (one of this factory's). */
    public TransactionReceipt depositCollateralWithPermit(String channel, TokenPermits.Permit permit) {
        return sender.send(
                factory,
                "depositCollateralWithPermit",
                contract()
                        .depositCollateralWithPermit(
                                channel,
                                permit.value(),
                                permit.deadline(),
                                BigInteger.valueOf(permit.v()),
                                permit.r(),
                                permit.s())
                        .encodeFunctionCall(),
                BigInteger.ZERO);
    }

    private IntermediaryFactory contract() {
        return IntermediaryFactory.load(factory, web3j, transactions, new DefaultGasProvider());
    }

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
