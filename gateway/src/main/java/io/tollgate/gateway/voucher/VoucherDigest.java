package io.tollgate.gateway.voucher;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.web3j.crypto.Hash;

/**
 * EIP-712 digest of a voucher: domain {@code ("Tollgate Intermediary", "1", chainId, channel)}, type
 * {@code Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)}. Checked against web3j's
 * {@code StructuredDataEncoder} in the tests.
 */
public final class VoucherDigest {

    static final byte[] DOMAIN_TYPE_HASH =
            keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    static final byte[] VOUCHER_TYPE_HASH =
            keccak("Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)");
    private static final byte[] NAME_HASH = keccak("Tollgate Intermediary");
    private static final byte[] VERSION_HASH = keccak("1");

    private VoucherDigest() {}

    /** The domain separator of a channel on a chain (callers may cache it per channel). */
    public static byte[] domainSeparator(long chainId, String channel) {
        var buffer = ByteBuffer.allocate(5 * 32)
                .put(DOMAIN_TYPE_HASH)
                .put(NAME_HASH)
                .put(VERSION_HASH)
                .put(word(BigInteger.valueOf(chainId)))
                .put(new byte[12])
                .put(HexFormat.of().parseHex(channel.substring(2)));
        return Hash.sha3(buffer.array());
    }

    public static byte[] digest(byte[] domainSeparator, long epoch, int category, long count, byte[] priceTableHash) {
        var struct = ByteBuffer.allocate(5 * 32)
                .put(VOUCHER_TYPE_HASH)
                .put(word(BigInteger.valueOf(epoch)))
                .put(word(BigInteger.valueOf(category)))
                .put(word(BigInteger.valueOf(count)))
                .put(priceTableHash);
        byte[] structHash = Hash.sha3(struct.array());
        var message = ByteBuffer.allocate(2 + 64)
                .put((byte) 0x19)
                .put((byte) 0x01)
                .put(domainSeparator)
                .put(structHash);
        return Hash.sha3(message.array());
    }

    public static byte[] digest(long chainId, PaidVoucher voucher) {
        return digest(
                domainSeparator(chainId, voucher.channel()),
                voucher.epoch(),
                voucher.category(),
                voucher.count(),
                voucher.priceTableHash());
    }

    private static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] word(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] word = new byte[32];
        int start = raw.length > 32 ? raw.length - 32 : 0;
        System.arraycopy(raw, start, word, 32 - (raw.length - start), raw.length - start);
        return word;
    }
}
