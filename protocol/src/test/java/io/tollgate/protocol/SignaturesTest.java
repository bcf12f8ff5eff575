package io.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SignaturesTest {
    /** The secp256k1 group order. */
    static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    @Test
    void halfTheOrderIsTheLargestLowS() {
        assertThat(Signatures.HALF_ORDER).isEqualTo(N.shiftRight(1));
        assertThat(Signatures.isLowS(Signatures.HALF_ORDER)).isTrue();
        assertThat(Signatures.isLowS(Signatures.HALF_ORDER.add(BigInteger.ONE))).isFalse();
        assertThat(Signatures.isLowS(BigInteger.ONE)).isTrue();
    }

    @Test
    void aCanonicalSignatureHasVOf27Or28AndALowS() {
        byte[] signature = new byte[65];
        signature[63] = 1;
        for (int v = 0; v < 256; v++) {
            signature[64] = (byte) v;
            assertThat(Signatures.isCanonical(signature)).as("v=%d", v).isEqualTo(v == 27 || v == 28);
        }
        signature[64] = 27;
        byte[] high = N.subtract(BigInteger.ONE).toByteArray();
        System.arraycopy(high, high.length - 32, signature, 32, 32);
        assertThat(Signatures.isCanonical(signature)).isFalse();
        assertThat(Signatures.isCanonical(new byte[64])).isFalse();
        assertThat(Signatures.isCanonical(null)).isFalse();
    }
}
