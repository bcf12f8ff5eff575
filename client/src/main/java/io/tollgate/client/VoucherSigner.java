package io.tollgate.client;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Signs vouchers with a channel's signer key (the consumer's hot key: it can sign vouchers for its
 * channel and nothing else) and encodes them as a {@code Payment-Voucher} header.
 *
 * <p>The signature is EIP-712 over the domain {@code ("Tollgate Intermediary", "1", chainId, channel)} and
 * {@code Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)}; web3j signs with
 * RFC 6979 nonces and canonical low-s, v = 27/28. The header (version 1) is unpadded base64url of
 * {@code 0x01 ‖ channel (20) ‖ epoch (8, big-endian) ‖ category (1) ‖ count (8) ‖ priceTableHash (32) ‖
 * r ‖ s ‖ v (65)}: 135 bytes, 180 characters.
 */
public final class VoucherSigner {
    static final byte HEADER_VERSION = 0x01;
    static final int HEADER_BYTES = 1 + 20 + 8 + 1 + 8 + 32 + 65;

    private static final byte[] DOMAIN_TYPE_HASH =
            keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    private static final byte[] VOUCHER_TYPE_HASH =
            keccak("Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)");
    private static final byte[] NAME_HASH = keccak("Tollgate Intermediary");
    private static final byte[] VERSION_HASH = keccak("1");

    private final ECKeyPair key;

    public VoucherSigner(ECKeyPair key) {
        this.key = key;
    }

    /** The signer address the channel must name, {@code 0x} + 40 lower-case hex digits. */
    public String address() {
        return "0x" + Keys.getAddress(key);
    }

    /** Signs a voucher for {@code count} requests of {@code category} in the terms' epoch; returns the header. */
    public String sign(ChannelTerms terms, int category, long count) {
        byte[] digest = digest(terms, category, count);
        Sign.SignatureData signature = Sign.signMessage(digest, key, false);
        byte[] channel = HexFormat.of().parseHex(terms.channel().substring(2));
        var header = ByteBuffer.allocate(HEADER_BYTES)
                .put(HEADER_VERSION)
                .put(channel)
                .putLong(terms.epoch())
                .put((byte) category)
                .putLong(count)
                .put(terms.prices().hash())
                .put(signature.getR())
                .put(signature.getS())
                .put(signature.getV());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.array());
    }

    /** The EIP-712 digest the contract's {@code voucherDigest} view returns for the same fields. */
    public static byte[] digest(ChannelTerms terms, int category, long count) {
        byte[] channel = HexFormat.of().parseHex(terms.channel().substring(2));
        byte[] domain = Hash.sha3(ByteBuffer.allocate(5 * 32)
                .put(DOMAIN_TYPE_HASH)
                .put(NAME_HASH)
                .put(VERSION_HASH)
                .put(uint256(BigInteger.valueOf(terms.chainId())))
                .put(new byte[12])
                .put(channel)
                .array());
        byte[] struct = Hash.sha3(ByteBuffer.allocate(5 * 32)
                .put(VOUCHER_TYPE_HASH)
                .put(uint256(BigInteger.valueOf(terms.epoch())))
                .put(uint256(BigInteger.valueOf(category)))
                .put(uint256(BigInteger.valueOf(count)))
                .put(terms.prices().hash())
                .array());
        return Hash.sha3(ByteBuffer.allocate(66)
                .put((byte) 0x19)
                .put((byte) 0x01)
                .put(domain)
                .put(struct)
                .array());
    }

    private static byte[] uint256(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] word = new byte[32];
        int start = raw.length > 32 ? raw.length - 32 : 0;
        System.arraycopy(raw, start, word, 32 - (raw.length - start), raw.length - start);
        return word;
    }

    private static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }
}
