package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** The consumer's (owner's) transactions on a channel: funding it, rotating its signer, closing it. */
final class ConsumerTransactions {
    private static final BigInteger ZERO = BigInteger.ZERO;

    private final Web3j web3j;
    private final String channel;
    private final TransactionManager transactions;
    private final TransactionSender sender;
    private final Intermediary contract;

    ConsumerTransactions(Web3j web3j, String channel, TransactionManager transactions, TransactionSender sender) {
        this.web3j = web3j;
        this.channel = channel;
        this.transactions = transactions;
        this.sender = sender;
        this.contract = Intermediary.load(channel, web3j, transactions, new DefaultGasProvider());
    }

    TransactionReceipt depositEther(Wei amount) {
        return send("deposit", contract.deposit(amount.value(), amount.value()).encodeFunctionCall(), amount.value());
    }

    TransactionReceipt depositToken(String token, Wei amount) {
        var erc20 = DemoToken.load(token, web3j, transactions, new DefaultGasProvider());
        sender.send(token, "approve", erc20.approve(channel, amount.value()).encodeFunctionCall(), ZERO);
        return send("deposit", contract.deposit(amount.value(), ZERO).encodeFunctionCall(), ZERO);
    }

    TransactionReceipt requestClose() {
        return send("requestClose", contract.requestClose().encodeFunctionCall(), ZERO);
    }

    TransactionReceipt close() {
        return send("close", contract.close().encodeFunctionCall(), ZERO);
    }

    TransactionReceipt rotateSigner(String signer) {
        return send("rotateSigner", contract.rotateSigner(signer).encodeFunctionCall(), ZERO);
    }

    private TransactionReceipt send(String call, String data, BigInteger value) {
        return sender.send(channel, call, data, value);
    }
}
