package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.Intermediary;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** A channel's move to another release with both parties' consent: the same call on both releases. */
final class UpgradeTransactions {
    private final String channel;
    private final TransactionSender sender;
    private final Intermediary contract;

    UpgradeTransactions(Web3j web3j, String channel, TransactionManager transactions, TransactionSender sender) {
        this.channel = channel;
        this.sender = sender;
        this.contract = Intermediary.load(channel, web3j, transactions, new DefaultGasProvider());
    }

    /** The data of the {@code upgradeWithConsent} call, for any wallet to send. */
    String upgradeWithConsentData(
            String implementation, byte[] data, BigInteger deadline, byte[] ownerConsent, byte[] payoutConsent) {
        return contract.upgradeWithConsent(implementation, data, deadline, ownerConsent, payoutConsent)
                .encodeFunctionCall();
    }

    TransactionReceipt upgradeWithConsent(
            String implementation, byte[] data, BigInteger deadline, byte[] ownerConsent, byte[] payoutConsent) {
        return sender.send(
                channel,
                "upgradeWithConsent",
                upgradeWithConsentData(implementation, data, deadline, ownerConsent, payoutConsent),
                BigInteger.ZERO);
    }
}
