package io.tollgate.protocol;

import java.util.HexFormat;

/**
 * A signed voucher: the EIP-712 {@code Voucher} fields, the channel whose domain it is signed in and the 65-byte
 * signature {@code r ‖ s ‖ v}. Carried in the {@code Payment-Voucher} header ({@link VoucherHeader}).
 *
 * @param channel the channel contract
 * @param epoch the epoch whose price table it signs
 * @param category the category it pays for, 0..15
 * @param count the cumulative count of requests of the category in the epoch
 * @param priceTableHash the epoch's price-table hash (32 bytes)
 * @param signature r ‖ s ‖ v (65 bytes)
 */
public record Voucher(Address channel, long epoch, int category, long count, byte[] priceTableHash, byte[] signature) {
    public Voucher {
        if (channel == null) {
            throw new IllegalArgumentException("a voucher names its channel");
        }
        if (priceTableHash == null || priceTableHash.length != 32) {
            throw new IllegalArgumentException("a price-table hash is 32 bytes");
        }
        if (signature == null || signature.length != Signatures.LENGTH) {
            throw new IllegalArgumentException("a signature is 65 bytes r ‖ s ‖ v");
        }
        priceTableHash = priceTableHash.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] priceTableHash() {
        return priceTableHash.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The EIP-712 digest the signature is over. */
    public byte[] digest(long chainId) {
        return Eip712.voucherDigest(chainId, channel, epoch, category, count, priceTableHash);
    }

    /** The price-table hash as {@code 0x}-hex. */
    public String priceTableHashHex() {
        return "0x" + HexFormat.of().formatHex(priceTableHash);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Voucher v
                && channel.equals(v.channel)
                && epoch == v.epoch
                && category == v.category
                && count == v.count
                && java.util.Arrays.equals(priceTableHash, v.priceTableHash)
                && java.util.Arrays.equals(signature, v.signature);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(channel, epoch, category, count, java.util.Arrays.hashCode(priceTableHash));
    }

    @Override
    public String toString() {
        // never the signature: logs must not carry it
        return "Voucher[channel=" + channel + ", epoch=" + epoch + ", category=" + category + ", count=" + count + "]";
    }
}
