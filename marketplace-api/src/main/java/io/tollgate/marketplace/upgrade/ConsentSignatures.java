package io.tollgate.marketplace.upgrade;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.protocol.Signatures;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** A consent's signature as the channel checks it: 65 bytes r‖s‖v, canonical, recovering to its signer. */
final class ConsentSignatures {
    private ConsentSignatures() {}

    /** The bytes of a consent as {@code eth_signTypedData_v4} answers it; anything else is an invalid request. */
    static byte[] bytes(String signature) {
        if (signature == null || !signature.matches("0x[0-9a-fA-F]{130}")) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "a consent is a 65-byte signature r‖s‖v as 0x and 130 hex digits (what eth_signTypedData_v4 answers)",
                    Map.of());
        }
        return Numeric.hexStringToByteArray(signature);
    }

    /** The signer of {@code digest}; high-s signatures are refused as the contract (OpenZeppelin ECDSA) does. */
    static String recover(byte[] digest, byte[] signature) {
        byte[] r = Arrays.copyOfRange(signature, 0, 32);
        byte[] s = Arrays.copyOfRange(signature, 32, 64);
        int v = signature[64] & 0xff;
        if (v < 27) {
            v += 27;
        }
        if ((v != 27 && v != 28) || !Signatures.isLowS(new BigInteger(1, s))) {
            throw new ApiProblem(
                    ProblemType.UPGRADE_CONSENT_REFUSED,
                    "the consent is not a canonical signature (v must be 27 or 28, s in the lower half): the channel"
                            + " would refuse it",
                    Map.of());
        }
        try {
            BigInteger key = Sign.signedMessageHashToKey(digest, new Sign.SignatureData((byte) v, r, s));
            return "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
        } catch (SignatureException e) {
            throw new ApiProblem(
                    ProblemType.UPGRADE_CONSENT_REFUSED, "no signer can be recovered from the consent", Map.of());
        }
    }
}
