package io.tollgate.protocol;

import java.math.BigInteger;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** EIP-712 written out again from the specification with web3j's keccak, for tests to hold the protocol's to. */
final class Eip712Reference {
    private Eip712Reference() {}

    /** The domain separator of {@code (name, version, chainId, verifyingContract)}. */
    static byte[] separator(String name, String version, long chainId, Address verifyingContract) {
        return Hash.sha3(concat(
                Hash.sha3("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                        .getBytes()),
                Hash.sha3(name.getBytes()),
                Hash.sha3(version.getBytes()),
                word(BigInteger.valueOf(chainId)),
                word(Numeric.toBigInt(verifyingContract.value()))));
    }

    /** The digest signed: {@code keccak(0x1901 ‖ separator ‖ keccak(struct))}. */
    static byte[] typed(byte[] separator, byte[] struct) {
        return Hash.sha3(concat(new byte[] {0x19, 0x01}, separator, Hash.sha3(struct)));
    }

    static byte[] word(BigInteger value) {
        return Numeric.toBytesPadded(value, 32);
    }

    static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static String hex(byte[] bytes) {
        return Numeric.toHexString(bytes);
    }
}
