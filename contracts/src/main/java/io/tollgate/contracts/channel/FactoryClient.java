package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The factory's batch entry point seen from an operator (or payout) key: {@code claimMany} claims on many
 * channels of release 2 in one transaction, simulated first and sent like every {@link ChannelClient} call. A
 * claim the channel refuses does not revert the others: the factory reports it ({@code ClaimFailed}) and it is
 * returned here with its decoded error.
 */
public final class FactoryClient {
    private final Web3j web3j;
    private final String factory;
    private final TransactionManager transactions;
    private final ChannelClient sender;

    public FactoryClient(Web3j web3j, String factory, TransactionManager transactions, BigInteger gasPriceCeiling) {
        this.web3j = web3j;
        this.factory = factory;
        this.transactions = transactions;
        this.sender = new ChannelClient(web3j, factory, transactions, gasPriceCeiling);
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
