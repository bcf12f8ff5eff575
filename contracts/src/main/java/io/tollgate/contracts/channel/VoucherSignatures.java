package io.tollgate.contracts.channel;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * EIP-712 digests of what the Intermediary's parties sign — vouchers, monitor window reports, upgrade
 * consents — under the domain {@code ("Tollgate Intermediary", "1", chainId, channel)}, and signing them
 * (RFC 6979, canonical low-s, 65 bytes r‖s‖v with v = 27/28). Held to the contract's own digest views by
 * the tests and to the committed vectors.
 */
public final class VoucherSignatures {
    static final byte[] DOMAIN_TYPEHASH =
            keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    public static final byte[] VOUCHER_TYPEHASH =
            keccak("Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)");
    public static final byte[] WINDOW_REPORT_TYPEHASH = keccak("WindowReport(uint64 window,uint32 availabilityBps)");
    public static final byte[] UPGRADE_CONSENT_TYPEHASH =
            keccak("UpgradeConsent(address implementation,uint256 nonce,uint256 deadline)");

    private VoucherSignatures() {}

    public static byte[] domainSeparator(long chainId, String channel) {
        return Hash.sha3(concat(
                DOMAIN_TYPEHASH,
                keccak("Tollgate Intermediary"),
                keccak("1"),
                word(BigInteger.valueOf(chainId)),
                address(channel)));
    }

    public static byte[] voucherStructHash(long epoch, int category, long count, byte[] priceTableHash) {
        return Hash.sha3(concat(
                VOUCHER_TYPEHASH,
                word(BigInteger.valueOf(epoch)),
                word(BigInteger.valueOf(category)),
                word(BigInteger.valueOf(count)),
                priceTableHash));
    }

    public static byte[] voucherDigest(
            long chainId, String channel, long epoch, int category, long count, byte[] priceTableHash) {
        return voucherDigest(domainSeparator(chainId, channel), epoch, category, count, priceTableHash);
    }

    /** The digest under a domain separator the caller computed once per channel (the gateway caches them). */
    public static byte[] voucherDigest(
            byte[] domainSeparator, long epoch, int category, long count, byte[] priceTableHash) {
        return typedData(domainSeparator, voucherStructHash(epoch, category, count, priceTableHash));
    }

    public static byte[] windowReportDigest(long chainId, String channel, long window, int availabilityBps) {
        return typedData(
                domainSeparator(chainId, channel),
                Hash.sha3(concat(
                        WINDOW_REPORT_TYPEHASH,
                        word(BigInteger.valueOf(window)),
                        word(BigInteger.valueOf(availabilityBps)))));
    }

    public static byte[] upgradeConsentDigest(
            long chainId, String channel, String implementation, BigInteger nonce, BigInteger deadline) {
        return typedData(
                domainSeparator(chainId, channel),
                Hash.sha3(concat(UPGRADE_CONSENT_TYPEHASH, address(implementation), word(nonce), word(deadline))));
    }

    /** Signs a 32-byte digest: r ‖ s ‖ v. */
    public static byte[] sign(byte[] digest, ECKeyPair key) {
        Sign.SignatureData signature = Sign.signMessage(digest, key, false);
        return concat(signature.getR(), signature.getS(), signature.getV());
    }

    private static byte[] typedData(byte[] domainSeparator, byte[] structHash) {
        return Hash.sha3(concat(new byte[] {0x19, 0x01}, domainSeparator, structHash));
    }

    private static byte[] address(String address) {
        return word(Numeric.toBigInt(address));
    }

    private static byte[] word(BigInteger value) {
        return Numeric.toBytesPadded(value, 32);
    }

    private static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        var buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }
}
