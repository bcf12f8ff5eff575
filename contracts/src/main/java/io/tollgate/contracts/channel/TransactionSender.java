package io.tollgate.contracts.channel;

import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Sends one key's transactions. Every transaction is simulated first ({@code eth_call}); a refusal is thrown as a
 * {@link ChannelRevertedException} naming the contract's custom error, and nothing is sent. Otherwise the
 * transaction goes out with the estimated gas (plus a fifth) and the call returns its mined receipt. Fees come
 * from a {@link FeeEstimator}: an EIP-1559 (type 2) transaction with maxFeePerGas = the fee cap (2 × base fee +
 * tip, at most the ceiling) and maxPriorityFeePerGas = the tip; a legacy (type 0) one at the node's gas price
 * only on a chain without base fee. When the chain's base fee (or legacy gas price) is above the ceiling,
 * nothing is sent.
 */
final class TransactionSender {
    private final Web3j web3j;
    private final TransactionManager transactions;
    private final TransactionReceiptProcessor receipts;
    private final FeeEstimator fees;
    private volatile Long chainId;

    TransactionSender(Web3j web3j, TransactionManager transactions, FeeEstimator fees) {
        this.web3j = web3j;
        this.transactions = transactions;
        this.receipts = new PollingTransactionReceiptProcessor(web3j, 100, 600);
        this.fees = fees;
    }

    /** Sends {@code data} with {@code value} wei to {@code to}; {@code call} names it in errors. */
    TransactionReceipt send(String to, String call, String data, BigInteger value) {
        String from = transactions.getFromAddress();
        try {
            var simulation = Transaction.createFunctionCallTransaction(from, null, null, null, to, value, data);
            EthCall preflight =
                    web3j.ethCall(simulation, DefaultBlockParameterName.PENDING).send();
            if (preflight.isReverted() || preflight.hasError()) {
                throw RevertDecoder.decode(call, revertData(preflight));
            }
            BigInteger gas = web3j.ethEstimateGas(simulation).send().getAmountUsed();
            BigInteger limit = gas.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5));
            Fees now = fees.fresh();
            Wei ceiling = fees.ceiling();
            if (!ceiling.isZero() && now.floor().compareTo(ceiling) > 0) {
                throw new IllegalStateException(
                        call + ": gas price " + now.floor() + " wei is above the ceiling of " + ceiling);
            }
            var sent = switch (now) {
                case Fees.Eip1559 f ->
                    transactions.sendEIP1559Transaction(
                            chainId(), f.tip().value(), f.cap().value(), limit, to, data, value);
                case Fees.Legacy l -> transactions.sendTransaction(l.gasPrice().value(), limit, to, data, value);
            };
            if (sent.hasError()) {
                throw new IllegalStateException(call + " was not accepted by the node: "
                        + sent.getError().getMessage());
            }
            TransactionReceipt receipt = receipts.waitForTransactionReceipt(sent.getTransactionHash());
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException(call + " failed on chain: " + receipt.getTransactionHash());
            }
            return receipt;
        } catch (IOException | TransactionException e) {
            throw new IllegalStateException(call + ": the node did not answer", e);
        }
    }

    private long chainId() throws IOException {
        Long known = chainId;
        if (known == null) {
            known = web3j.ethChainId().send().getChainId().longValueExact();
            chainId = known;
        }
        return known;
    }

    private static String revertData(EthCall call) {
        if (call.getError() != null && call.getError().getData() != null) {
            String data = call.getError().getData().toString().replace("\"", "");
            return data.startsWith("0x") ? data : null;
        }
        return call.getValue();
    }
}
