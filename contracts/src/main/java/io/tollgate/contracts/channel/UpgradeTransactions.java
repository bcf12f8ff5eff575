package io.tollgate.contracts.channel;

import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** A channel's move to another release with both parties' consent: the same call on both releases. */
record UpgradeTransactions(ChannelCalls calls) {

    /** The data of the {@code upgradeWithConsent} call, for any wallet to send. */
    String upgradeWithConsentData(
            String implementation, byte[] data, BigInteger deadline, byte[] ownerConsent, byte[] payoutConsent) {
        return calls.contract()
                .upgradeWithConsent(implementation, data, deadline, ownerConsent, payoutConsent)
                .encodeFunctionCall();
    }

    TransactionReceipt upgradeWithConsent(
            String implementation, byte[] data, BigInteger deadline, byte[] ownerConsent, byte[] payoutConsent) {
        return calls.send(
                "upgradeWithConsent",
                upgradeWithConsentData(implementation, data, deadline, ownerConsent, payoutConsent),
                BigInteger.ZERO);
    }
}
