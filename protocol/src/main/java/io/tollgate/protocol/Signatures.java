package io.tollgate.protocol;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * What the protocol requires of a secp256k1 signature {@code r ‖ s ‖ v} (65 bytes) beyond recovering: the
 * canonical form the Intermediary's {@code ECDSA.recover} accepts, {@code v} 27 or 28 and {@code s} in the lower
 * half of the group order (a larger {@code s} is the malleated twin of a valid signature).
 */
public final class Signatures {
    /** The length of {@code r ‖ s ‖ v}. */
    public static final int LENGTH = 65;

    /** Half the secp256k1 group order n: the largest {@code s} a canonical signature has. */
    public static final BigInteger HALF_ORDER =
            new BigInteger("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16);

    private Signatures() {}

    /** Whether {@code s} (read unsigned) is not above n/2. A zero {@code s} passes here and fails recovery. */
    public static boolean isLowS(BigInteger s) {
        return s.compareTo(HALF_ORDER) <= 0;
    }

    /** Whether the 65-byte {@code r ‖ s ‖ v} has {@code v} 27 or 28 and a low {@code s}; false for another length. */
    public static boolean isCanonical(byte[] signature) {
        if (signature == null || signature.length != LENGTH) {
            return false;
        }
        int v = Byte.toUnsignedInt(signature[64]);
        return (v == 27 || v == 28) && isLowS(new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
    }
}
