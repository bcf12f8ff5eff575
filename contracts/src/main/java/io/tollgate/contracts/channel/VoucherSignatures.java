package io.tollgate.contracts.channel;

import io.tollgate.protocol.Address;
import io.tollgate.protocol.Eip712;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * Signing what the Intermediary's parties sign — vouchers, monitor window reports, upgrade consents — with a web3j
 * key (RFC 6979, canonical low-s, 65 bytes r‖s‖v with v = 27/28), over the digests the protocol module computes
 * ({@link Eip712}; the channel given as {@code 0x}-hex). Held to the contract's own digest views by the tests and to
 * the committed vectors.
 */
public final class VoucherSignatures {
    public static final byte[] VOUCHER_TYPEHASH = Eip712.voucherTypehash();
    public static final byte[] WINDOW_REPORT_TYPEHASH = Eip712.windowReportTypehash();
    /** Release 1's consent type hash. */
    public static final byte[] UPGRADE_CONSENT_TYPEHASH = Eip712.upgradeConsentTypehashRelease1();

    private VoucherSignatures() {}

    public static byte[] domainSeparator(long chainId, String channel) {
        return Eip712.domainSeparator(chainId, Address.of(channel));
    }

    public static byte[] voucherStructHash(long epoch, int category, long count, byte[] priceTableHash) {
        return Eip712.voucherStructHash(epoch, category, count, priceTableHash);
    }

    public static byte[] voucherDigest(
            long chainId, String channel, long epoch, int category, long count, byte[] priceTableHash) {
        return Eip712.voucherDigest(chainId, Address.of(channel), epoch, category, count, priceTableHash);
    }

    /** The digest under a domain separator the caller computed once per channel (the gateway caches them). */
    public static byte[] voucherDigest(
            byte[] domainSeparator, long epoch, int category, long count, byte[] priceTableHash) {
        return Eip712.voucherDigest(domainSeparator, epoch, category, count, priceTableHash);
    }

    public static byte[] windowReportDigest(long chainId, String channel, long window, int availabilityBps) {
        return Eip712.windowReportDigest(chainId, Address.of(channel), window, availabilityBps);
    }

    /** Release 1's consent digest. */
    public static byte[] upgradeConsentDigest(
            long chainId, String channel, String implementation, BigInteger nonce, BigInteger deadline) {
        return Eip712.upgradeConsentDigestRelease1(
                chainId, Address.of(channel), Address.of(implementation), nonce, deadline);
    }

    /** Signs a 32-byte digest: r ‖ s ‖ v. */
    public static byte[] sign(byte[] digest, ECKeyPair key) {
        Sign.SignatureData signature = Sign.signMessage(digest, key, false);
        return ByteBuffer.allocate(65)
                .put(signature.getR())
                .put(signature.getS())
                .put(signature.getV())
                .array();
    }
}
