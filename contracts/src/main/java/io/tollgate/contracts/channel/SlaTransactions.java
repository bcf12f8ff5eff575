package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * A channel's SLA as settled in one step (release 1): the collateral penalties are paid from and the monitors'
 * window reports. Release 2's two-step settlement is {@link SlaSettlement}.
 */
final class SlaTransactions {
    private final String channel;
    private final TransactionSender sender;
    private final Intermediary contract;

    SlaTransactions(Web3j web3j, String channel, TransactionManager transactions, TransactionSender sender) {
        this.channel = channel;
        this.sender = sender;
        this.contract = Intermediary.load(channel, web3j, transactions, new DefaultGasProvider());
    }

    TransactionReceipt depositCollateral(Wei amount) {
        return sender.send(
                channel,
                "depositCollateral",
                contract.depositCollateral(amount.value(), amount.value()).encodeFunctionCall(),
                amount.value());
    }

    TransactionReceipt reportWindow(long window, List<ChannelClient.WindowReport> reports) {
        var items = reports.stream()
                .map(r -> new Intermediary.WindowReport(BigInteger.valueOf(r.availabilityBps()), r.signature()))
                .toList();
        return sender.send(
                channel,
                "reportWindow",
                contract.reportWindow(BigInteger.valueOf(window), items).encodeFunctionCall(),
                BigInteger.ZERO);
    }
}
