package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A channel's SLA as settled in one step (release 1): the collateral penalties are paid from and the monitors'
 * window reports. Release 2's two-step settlement is {@link SlaSettlement}.
 */
record SlaTransactions(ChannelCalls calls) {

    TransactionReceipt depositCollateral(Wei amount) {
        return calls.send(
                "depositCollateral",
                calls.contract()
                        .depositCollateral(amount.value(), amount.value())
                        .encodeFunctionCall(),
                amount.value());
    }

    TransactionReceipt reportWindow(long window, List<ChannelClient.WindowReport> reports) {
        var items = reports.stream()
                .map(r -> new Intermediary.WindowReport(BigInteger.valueOf(r.availabilityBps()), r.signature()))
                .toList();
        return calls.send(
                "reportWindow",
                calls.contract().reportWindow(BigInteger.valueOf(window), items).encodeFunctionCall(),
                BigInteger.ZERO);
    }
}
