package io.tollgate.gateway.voucher;

import fr.acinq.secp256k1.Secp256k1;
import fr.acinq.secp256k1.Secp256k1Exception;
import io.tollgate.protocol.Eip712;
import io.tollgate.protocol.Signatures;
import io.tollgate.protocol.Voucher;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.web3j.crypto.Hash;

/**
 * {@link SignatureCheck} through libsecp256k1 (fr.acinq secp256k1-kmp, JNI): about a quarter of web3j's
 * pure-Java recovery time. Refuses high-s signatures and v other than 27/28; a signature that does not
 * recover is {@link SignatureOutcome#INVALID}.
 */
public final class Secp256k1SignatureCheck implements SignatureCheck {

    private final Secp256k1 secp256k1 = Secp256k1.get();
    /** Domain separators per chain id and channel: one keccak less per request. */
    private final java.util.Map<String, byte[]> domains = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Public keys already seen to hash to a signer address: a recovered key is compared with it byte for byte
     * instead of hashing it again. Only keys of signatures that checked out are kept; at most KNOWN_KEYS.
     */
    private final java.util.Map<String, byte[]> knownKeys = new java.util.concurrent.ConcurrentHashMap<>();

    private static final int KNOWN_KEYS = 100_000;

    private byte[] digest(long chainId, Voucher voucher) {
        byte[] domain = domains.computeIfAbsent(
                chainId + ":" + voucher.channel().value(), k -> Eip712.domainSeparator(chainId, voucher.channel()));
        return Eip712.voucherDigest(
                domain, voucher.epoch(), voucher.category(), voucher.count(), voucher.priceTableHash());
    }

    @Override
    public SignatureOutcome check(Voucher voucher, long chainId, String expectedSigner) {
        byte[] signature = voucher.signature();
        int v = Byte.toUnsignedInt(signature[64]);
        if (v != 27 && v != 28) {
            return SignatureOutcome.INVALID;
        }
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (s.signum() == 0 || !Signatures.isLowS(s)) {
            return SignatureOutcome.INVALID;
        }
        byte[] publicKey;
        try {
            publicKey = secp256k1.ecdsaRecover(Arrays.copyOfRange(signature, 0, 64), digest(chainId, voucher), v - 27);
        } catch (Secp256k1Exception e) {
            return SignatureOutcome.INVALID;
        }
        String expected = expectedSigner.toLowerCase(Locale.ROOT);
        byte[] known = knownKeys.get(expected);
        if (known != null) {
            return Arrays.equals(known, publicKey) ? SignatureOutcome.VALID : SignatureOutcome.WRONG_SIGNER;
        }
        byte[] hash = Hash.sha3(Arrays.copyOfRange(publicKey, 1, 65));
        String recovered = "0x" + HexFormat.of().formatHex(hash, 12, 32);
        if (!recovered.equals(expected)) {
            return SignatureOutcome.WRONG_SIGNER;
        }
        if (knownKeys.size() >= KNOWN_KEYS) {
            knownKeys.clear();
        }
        knownKeys.put(expected, publicKey);
        return SignatureOutcome.VALID;
    }
}
