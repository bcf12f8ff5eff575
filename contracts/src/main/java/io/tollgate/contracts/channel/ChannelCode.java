package io.tollgate.contracts.channel;

import static io.tollgate.contracts.channel.NodeReads.read;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.utils.Numeric;

/** What code sits at an address: whether any, its hash, and which release of the Intermediary it is. */
public final class ChannelCode {
    private static final String NOBODY = "0x0000000000000000000000000000000000000000";

    private ChannelCode() {}

    /** keccak-256 of the runtime code at {@code address} (e.g. the implementation behind the proxy). */
    public static String codeHash(Web3j web3j, String address) {
        String code = read(() -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST)
                .send()
                .getCode());
        return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(code)));
    }

    /** Whether there is code at {@code address}. */
    public static boolean hasCode(Web3j web3j, String address) {
        String code = read(() -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST)
                .send()
                .getCode());
        return code != null && code.length() > 2;
    }

    /**
     * The release of the Intermediary code at {@code address} (a channel, or an implementation: {@code release()}
     * is pure): 1 when a call of {@code release()} reverts or returns nothing, as on release 1. A node that does
     * not answer is an {@link java.io.UncheckedIOException}, never release 1.
     */
    public static int releaseOf(Web3j web3j, String address) {
        var function = new Function("release", List.of(), List.of(new TypeReference<Uint256>() {}));
        EthCall call = read(() -> web3j.ethCall(
                        Transaction.createEthCallTransaction(NOBODY, address, FunctionEncoder.encode(function)),
                        DefaultBlockParameterName.LATEST)
                .send());
        if (call.isReverted()
                || call.hasError()
                || call.getValue() == null
                || call.getValue().length() <= 2) {
            return 1;
        }
        var decoded = FunctionReturnDecoder.decode(call.getValue(), function.getOutputParameters());
        return decoded.isEmpty() ? 1 : ((BigInteger) decoded.getFirst().getValue()).intValueExact();
    }
}
