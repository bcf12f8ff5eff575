package io.tollgate.contracts.channel;

import io.tollgate.protocol.Address;
import io.tollgate.protocol.TokenAuthorizations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.TransactionManager;

/**
 * EIP-3009 on any token that has it (the demo dollar, USDC): submitting a holder's signed {@code
 * transferWithAuthorization} (what x402's {@code exact} scheme settles; anyone may send it, the funds go from the
 * signer to the authorization's {@code to}) with the caller's key through the {@link TransactionSender}
 * (simulated first, EIP-1559, awaited until mined), and reading {@code authorizationState(authorizer, nonce)}.
 * The signature is the 65-byte {@code r‖s‖v} form ({@code transferWithAuthorization(…, bytes signature)}).
 */
public final class TokenAuthorizationTransactions {
    private static final String NOBODY = "0x0000000000000000000000000000000000000000";

    /** Sends refused for their nonce are sent again this often, with the nonce read anew. */
    static final int NONCE_ATTEMPTS = 4;

    private final TransactionManager transactions;
    private final TransactionSender sender;

    /**
     * Sends with {@code transactions}; when it is a {@link FastRawTransactionManager} (which counts nonces itself)
     * and the node refuses a nonce (another replica of the same key sent one meanwhile), the nonce is read from the
     * node again and the transaction sent again, up to {@link #NONCE_ATTEMPTS} times.
     */
    public TokenAuthorizationTransactions(Web3j web3j, TransactionManager transactions, FeeEstimator fees) {
        this.transactions = transactions;
        this.sender = new TransactionSender(web3j, transactions, fees);
    }

    /** Sends {@code authorization} with its holder's {@code signature} to {@code token}; returns the mined receipt. */
    public TransactionReceipt transferWithAuthorization(
            String token, TokenAuthorizations.Authorization authorization, byte[] signature) {
        var function = new Function(
                "transferWithAuthorization",
                List.<Type>of(
                        new org.web3j.abi.datatypes.Address(authorization.from().value()),
                        new org.web3j.abi.datatypes.Address(authorization.to().value()),
                        new Uint256(authorization.value()),
                        new Uint256(authorization.validAfter()),
                        new Uint256(authorization.validBefore()),
                        new Bytes32(authorization.nonce()),
                        new DynamicBytes(signature)),
                List.of());
        String data = FunctionEncoder.encode(function);
        for (int attempt = 1; ; attempt++) {
            try {
                return sender.send(token, "transferWithAuthorization", data, BigInteger.ZERO);
            } catch (IllegalStateException e) {
                if (attempt >= NONCE_ATTEMPTS
                        || !(transactions instanceof FastRawTransactionManager counting)
                        || !String.valueOf(e.getMessage()).contains("nonce")) {
                    throw e;
                }
                try {
                    counting.resetNonce();
                } catch (IOException io) {
                    throw new UncheckedIOException("reading the sender's nonce failed", io);
                }
            }
        }
    }

    /** Whether {@code authorizer} has used (or cancelled) {@code nonce} at {@code token}, at the latest block. */
    public static boolean authorizationState(Web3j web3j, String token, Address authorizer, byte[] nonce) {
        var function = new Function(
                "authorizationState",
                List.<Type>of(new org.web3j.abi.datatypes.Address(authorizer.value()), new Bytes32(nonce)),
                List.of(new TypeReference<Bool>() {}));
        try {
            var call = web3j.ethCall(
                            Transaction.createEthCallTransaction(NOBODY, token, FunctionEncoder.encode(function)),
                            DefaultBlockParameterName.LATEST)
                    .send();
            if (call.hasError() || call.isReverted()) {
                throw new IllegalStateException("authorizationState at " + token + " failed: "
                        + (call.hasError() ? call.getError().getMessage() : call.getRevertReason()));
            }
            var values = FunctionReturnDecoder.decode(call.getValue(), function.getOutputParameters());
            if (values.isEmpty()) {
                throw new IllegalStateException(token + " has no authorizationState (not an EIP-3009 token?)");
            }
            return (Boolean) values.getFirst().getValue();
        } catch (IOException e) {
            throw new UncheckedIOException("reading authorizationState at " + token + " failed", e);
        }
    }
}
