package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The provider's (operator's or payout's) transactions on a channel: redeeming vouchers, in two steps on release 1
 * ({@link #startRedemption}, {@link #finishRedemption}) or by claims and new epochs on release 2 ({@link #claim},
 * {@link #startEpoch}, {@link #replaceOperator}), and paying out the earnings ({@link #withdraw}). The other
 * release's contract refuses a call of one release only.
 */
record RedemptionTransactions(ChannelCalls calls) {
    private static final BigInteger ZERO = BigInteger.ZERO;

    TransactionReceipt startRedemption(PriceTable newPrices) {
        return send(
                "startRedemption",
                calls.contract()
                        .startRedemption(
                                newPrices.prices().stream().map(Wei::value).toList())
                        .encodeFunctionCall());
    }

    TransactionReceipt finishRedemption(long epoch, List<SignedVoucher> vouchers) {
        var items = vouchers.stream()
                .map(v -> new Intermediary.Redemption(
                        BigInteger.valueOf(v.category()),
                        BigInteger.valueOf(v.count()),
                        BigInteger.valueOf(v.claimed()),
                        v.signature()))
                .toList();
        return send(
                "finishRedemption",
                calls.contract()
                        .finishRedemption(BigInteger.valueOf(epoch), items)
                        .encodeFunctionCall());
    }

    ChannelClient.Claimed claim(long epoch, List<SignedVoucher> vouchers) {
        var items = vouchers.stream()
                .map(v -> new IntermediaryRelease2.Redemption(
                        BigInteger.valueOf(v.category()),
                        BigInteger.valueOf(v.count()),
                        BigInteger.valueOf(v.claimed()),
                        v.signature()))
                .toList();
        var receipt = send(
                "claim",
                calls.release2().claim(BigInteger.valueOf(epoch), items).encodeFunctionCall());
        var events = IntermediaryRelease2.getClaimedEvents(receipt);
        if (events.isEmpty()) {
            throw new IllegalStateException("claim mined without a Claimed event: " + receipt.getTransactionHash());
        }
        return ChannelClient.Claimed.of(receipt, events.getFirst());
    }

    TransactionReceipt startEpoch(PriceTable newPrices) {
        return send(
                "startEpoch",
                calls.release2()
                        .startEpoch(newPrices.prices().stream().map(Wei::value).toList())
                        .encodeFunctionCall());
    }

    TransactionReceipt replaceOperator(String newOperator) {
        return send(
                "replaceOperator", calls.release2().replaceOperator(newOperator).encodeFunctionCall());
    }

    TransactionReceipt withdraw() {
        return send("withdraw", calls.contract().withdraw().encodeFunctionCall());
    }

    private TransactionReceipt send(String call, String data) {
        return calls.send(call, data, ZERO);
    }
}
