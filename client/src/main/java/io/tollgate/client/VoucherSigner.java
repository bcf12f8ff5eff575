package io.tollgate.client;

import io.tollgate.protocol.Address;
import io.tollgate.protocol.Eip712;
import io.tollgate.protocol.VoucherHeader;
import java.nio.ByteBuffer;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Signs vouchers with a channel's signer key (the consumer's hot key: it can sign vouchers for its
 * channel and nothing else) and encodes them as a {@code Payment-Voucher} header.
 *
 * <p>The signature is over the protocol's EIP-712 voucher digest ({@link Eip712#voucherDigest}, domain
 * {@code ("Tollgate Intermediary", "1", chainId, channel)}); web3j signs with RFC 6979 nonces and canonical low-s,
 * v = 27/28. The header is the protocol's {@link VoucherHeader} (version 1): 135 bytes, 180 characters.
 */
public final class VoucherSigner {
    static final byte HEADER_VERSION = VoucherHeader.VERSION;

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
        Sign.SignatureData signature = Sign.signMessage(digest(terms, category, count), key, false);
        byte[] rsv = ByteBuffer.allocate(65)
                .put(signature.getR())
                .put(signature.getS())
                .put(signature.getV())
                .array();
        return VoucherHeader.encode(
                Address.of(terms.channel()),
                terms.epoch(),
                category,
                count,
                terms.prices().hash(),
                rsv);
    }

    /** The EIP-712 digest the contract's {@code voucherDigest} view returns for the same fields. */
    public static byte[] digest(ChannelTerms terms, int category, long count) {
        return Eip712.voucherDigest(
                terms.chainId(),
                Address.of(terms.channel()),
                terms.epoch(),
                category,
                count,
                terms.prices().hash());
    }
}
