package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * What the transactions on one channel share: its address, the node, the wallet that signs, the sender that prices
 * and sends them, and release 1's wrapper (whose calls both releases answer).
 */
record ChannelCalls(
        String channel, Web3j web3j, TransactionManager transactions, TransactionSender sender, Intermediary contract) {

    static ChannelCalls of(Web3j web3j, String channel, TransactionManager transactions, TransactionSender sender) {
        return new ChannelCalls(
                channel,
                web3j,
                transactions,
                sender,
                Intermediary.load(channel, web3j, transactions, new DefaultGasProvider()));
    }

    /** Release 2's wrapper, for the calls only release 2 has. */
    IntermediaryRelease2 release2() {
        return IntermediaryRelease2.load(channel, web3j, transactions, new DefaultGasProvider());
    }

    /** Sends {@code data} (the encoded {@code call}) to the channel with {@code value} wei. */
    TransactionReceipt send(String call, String data, BigInteger value) {
        return sender.send(channel, call, data, value);
    }
}
