package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;

/** The consumer's (owner's) transactions on a channel: funding it, rotating its signer, closing it. */
record ConsumerTransactions(ChannelCalls calls) {
    private static final BigInteger ZERO = BigInteger.ZERO;

    TransactionReceipt depositEther(Wei amount) {
        return send(
                "deposit",
                calls.contract().deposit(amount.value(), amount.value()).encodeFunctionCall(),
                amount.value());
    }

    TransactionReceipt depositToken(String token, Wei amount) {
        var erc20 = DemoToken.load(token, calls.web3j(), calls.transactions(), new DefaultGasProvider());
        calls.sender()
                .send(
                        token,
                        "approve",
                        erc20.approve(calls.channel(), amount.value()).encodeFunctionCall(),
                        ZERO);
        return send("deposit", calls.contract().deposit(amount.value(), ZERO).encodeFunctionCall(), ZERO);
    }

    TransactionReceipt requestClose() {
        return send("requestClose", calls.contract().requestClose().encodeFunctionCall(), ZERO);
    }

    TransactionReceipt close() {
        return send("close", calls.contract().close().encodeFunctionCall(), ZERO);
    }

    TransactionReceipt rotateSigner(String signer) {
        return send("rotateSigner", calls.contract().rotateSigner(signer).encodeFunctionCall(), ZERO);
    }

    private TransactionReceipt send(String call, String data, BigInteger value) {
        return calls.send(call, data, value);
    }
}
