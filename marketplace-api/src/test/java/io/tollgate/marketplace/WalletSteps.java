package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.testing.AnvilNode;
import java.math.BigInteger;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;
import tools.jackson.databind.ObjectMapper;

/**
 * What a wallet does with the marketplace's funding steps, from a web3j key: signs a sign-permit step's typed data
 * (with web3j's own EIP-712 encoder, not the marketplace's) and sends a transaction step exactly as given.
 */
final class WalletSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WalletSteps() {}

    /** What the wallet answers eth_signTypedData_v4 with: r‖s‖v of the typed data's EIP-712 hash. */
    static String signTypedData(Object typedData, Credentials key) throws Exception {
        byte[] hash = new StructuredDataEncoder(JSON.writeValueAsString(typedData)).hashStructuredData();
        var signature = Sign.signMessage(hash, key.getEcKeyPair(), false);
        return Numeric.toHexString(signature.getR())
                + Numeric.toHexStringNoPrefix(signature.getS())
                + String.format("%02x", signature.getV()[0]);
    }

    /** The body of a sign-permit step's endpoint: the signed message's value and deadline, and the signature. */
    static String permitBody(Map<String, Object> message, String signature) {
        return "{\"value\":\"" + message.get("value") + "\",\"deadline\":\"" + message.get("deadline")
                + "\",\"signature\":\"" + signature + "\"}";
    }

    /** Sends a "transaction" step from {@code who} exactly as given and waits for it to be mined successfully. */
    static TransactionReceipt send(Web3j web3j, Credentials who, Map<String, Object> step) throws Exception {
        assertThat(step.get("kind")).isEqualTo("transaction");
        var sent = new RawTransactionManager(
                        web3j, who, AnvilNode.CHAIN_ID, new PollingTransactionReceiptProcessor(web3j, 50, 200))
                .sendTransaction(
                        BigInteger.valueOf(2_000_000_000L),
                        BigInteger.valueOf(5_000_000),
                        (String) step.get("to"),
                        (String) step.get("data"),
                        new BigInteger((String) step.get("value")));
        var receipt = new PollingTransactionReceiptProcessor(web3j, 50, 200)
                .waitForTransactionReceipt(sent.getTransactionHash());
        assertThat(receipt.isStatusOK())
                .as("step " + step.get("purpose") + " mined")
                .isTrue();
        return receipt;
    }
}
