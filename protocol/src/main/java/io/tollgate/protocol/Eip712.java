package io.tollgate.protocol;

import io.tollgate.pricing.Keccak256;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The EIP-712 digests the Intermediary's parties sign, written once: vouchers (the consumer's signer), window
 * reports (the monitors) and upgrade consents (owner and payout; one format per release), all under the domain
 * {@code ("Tollgate Intermediary", "1", chainId, channel)}. Keccak-256 is pricing's; the tests hold the digests to
 * the committed vectors ({@code contracts/src/test/resources/eip712-vectors.json}) and to web3j's encoder, and the
 * contracts module's tests to the contract's own digest views. Signing is not here: it needs a key library.
 */
public final class Eip712 {
    public static final String DOMAIN_NAME = "Tollgate Intermediary";
    public static final String DOMAIN_VERSION = "1";

    public static final String DOMAIN_TYPE =
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
    public static final String VOUCHER_TYPE =
            "Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)";
    public static final String WINDOW_REPORT_TYPE = "WindowReport(uint64 window,uint32 availabilityBps)";
    /** Release 1's consent: it does not cover the migration call's data. */
    public static final String UPGRADE_CONSENT_TYPE_RELEASE_1 =
            "UpgradeConsent(address implementation,uint256 nonce,uint256 deadline)";
    /** Release 2's consent: it covers the keccak-256 of the migration call's data. */
    public static final String UPGRADE_CONSENT_TYPE_RELEASE_2 =
            "UpgradeConsent(address implementation,bytes32 dataHash,uint256 nonce,uint256 deadline)";

    private static final byte[] DOMAIN_TYPEHASH = keccak(DOMAIN_TYPE);
    private static final byte[] NAME_HASH = keccak(DOMAIN_NAME);
    private static final byte[] VERSION_HASH = keccak(DOMAIN_VERSION);
    private static final byte[] VOUCHER_TYPEHASH = keccak(VOUCHER_TYPE);
    private static final byte[] WINDOW_REPORT_TYPEHASH = keccak(WINDOW_REPORT_TYPE);
    private static final byte[] UPGRADE_CONSENT_TYPEHASH_RELEASE_1 = keccak(UPGRADE_CONSENT_TYPE_RELEASE_1);
    private static final byte[] UPGRADE_CONSENT_TYPEHASH_RELEASE_2 = keccak(UPGRADE_CONSENT_TYPE_RELEASE_2);

    private Eip712() {}

    /**
     * The typed data a wallet signs ({@code eth_signTypedData_v4}) for a struct of {@code type} (e.g. {@link
     * #UPGRADE_CONSENT_TYPE_RELEASE_1}) under {@code domain}: the struct's and the domain's fields listed as their
     * type strings name them, so that the wallet's digest is the one computed here from the same strings.
     */
    public static Map<String, Object> typedData(String type, Map<String, Object> domain, Map<String, Object> message) {
        String primaryType = type.substring(0, type.indexOf('('));
        return Map.of(
                "types",
                Map.of("EIP712Domain", fields(DOMAIN_TYPE), primaryType, fields(type)),
                "primaryType",
                primaryType,
                "domain",
                domain,
                "message",
                message);
    }

    /** The fields of an EIP-712 type string ({@code "Name(type1 name1,type2 name2)"}) as name/type pairs. */
    static List<Map<String, String>> fields(String type) {
        String members = type.substring(type.indexOf('(') + 1, type.lastIndexOf(')'));
        return Arrays.stream(members.split(","))
                .map(member -> {
                    int space = member.indexOf(' ');
                    return Map.of("name", member.substring(space + 1), "type", member.substring(0, space));
                })
                .toList();
    }

    /** The contract's {@code VOUCHER_TYPEHASH}. */
    public static byte[] voucherTypehash() {
        return VOUCHER_TYPEHASH.clone();
    }

    /** The contract's {@code WINDOW_REPORT_TYPEHASH}. */
    public static byte[] windowReportTypehash() {
        return WINDOW_REPORT_TYPEHASH.clone();
    }

    /** Release 1's {@code UPGRADE_CONSENT_TYPEHASH}. */
    public static byte[] upgradeConsentTypehashRelease1() {
        return UPGRADE_CONSENT_TYPEHASH_RELEASE_1.clone();
    }

    /** Release 2's {@code UPGRADE_CONSENT_TYPEHASH}. */
    public static byte[] upgradeConsentTypehashRelease2() {
        return UPGRADE_CONSENT_TYPEHASH_RELEASE_2.clone();
    }

    /** The domain separator of {@code channel} on {@code chainId}. */
    public static byte[] domainSeparator(long chainId, Address channel) {
        return Keccak256.hash(
                concat(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, word(BigInteger.valueOf(chainId)), word(channel)));
    }

    public static byte[] voucherStructHash(long epoch, int category, long count, byte[] priceTableHash) {
        return Keccak256.hash(concat(
                VOUCHER_TYPEHASH,
                word(BigInteger.valueOf(epoch)),
                word(BigInteger.valueOf(category)),
                word(BigInteger.valueOf(count)),
                bytes32(priceTableHash)));
    }

    /** What the contract's {@code voucherDigest(epoch, category, count, tableHash)} returns. */
    public static byte[] voucherDigest(
            long chainId, Address channel, long epoch, int category, long count, byte[] priceTableHash) {
        return voucherDigest(domainSeparator(chainId, channel), epoch, category, count, priceTableHash);
    }

    /** The voucher digest under a domain separator the caller computed once per channel (the gateway caches them). */
    public static byte[] voucherDigest(
            byte[] domainSeparator, long epoch, int category, long count, byte[] priceTableHash) {
        return typedData(domainSeparator, voucherStructHash(epoch, category, count, priceTableHash));
    }

    /** What the contract's {@code windowReportDigest(window, availabilityBps)} returns. */
    public static byte[] windowReportDigest(long chainId, Address channel, long window, int availabilityBps) {
        return typedData(
                domainSeparator(chainId, channel),
                Keccak256.hash(concat(
                        WINDOW_REPORT_TYPEHASH,
                        word(BigInteger.valueOf(window)),
                        word(BigInteger.valueOf(availabilityBps)))));
    }

    /** Release 1's {@code upgradeConsentDigest(implementation, nonce, deadline)}. */
    public static byte[] upgradeConsentDigestRelease1(
            long chainId, Address channel, Address implementation, BigInteger nonce, BigInteger deadline) {
        return typedData(
                domainSeparator(chainId, channel),
                Keccak256.hash(
                        concat(UPGRADE_CONSENT_TYPEHASH_RELEASE_1, word(implementation), word(nonce), word(deadline))));
    }

    /** Release 2's {@code upgradeConsentDigest(implementation, dataHash, nonce, deadline)}. */
    public static byte[] upgradeConsentDigestRelease2(
            long chainId,
            Address channel,
            Address implementation,
            byte[] dataHash,
            BigInteger nonce,
            BigInteger deadline) {
        return typedData(
                domainSeparator(chainId, channel),
                Keccak256.hash(concat(
                        UPGRADE_CONSENT_TYPEHASH_RELEASE_2,
                        word(implementation),
                        bytes32(dataHash),
                        word(nonce),
                        word(deadline))));
    }

    static byte[] typedData(byte[] domainSeparator, byte[] structHash) {
        return Keccak256.hash(concat(new byte[] {0x19, 0x01}, bytes32(domainSeparator), structHash));
    }

    static byte[] word(Address address) {
        byte[] word = new byte[32];
        System.arraycopy(address.bytes(), 0, word, 12, 20);
        return word;
    }

    /** A uint256 ABI word, big-endian; refuses a negative or wider value. */
    static byte[] word(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        byte[] raw = value.toByteArray();
        byte[] word = new byte[32];
        int start = raw.length > 32 ? raw.length - 32 : 0;
        System.arraycopy(raw, start, word, 32 - (raw.length - start), raw.length - start);
        return word;
    }

    static byte[] bytes32(byte[] value) {
        if (value == null || value.length != 32) {
            throw new IllegalArgumentException("a bytes32 is 32 bytes");
        }
        return value;
    }

    static byte[] keccak(String text) {
        return Keccak256.hash(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
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
