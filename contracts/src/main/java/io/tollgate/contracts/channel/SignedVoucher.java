package io.tollgate.contracts.channel;

/**
 * A voucher to redeem: the best signed count of a category in an epoch and the count claimed (≤ count;
 * equal for per-request categories).
 */
public record SignedVoucher(int category, long count, long claimed, byte[] signature) {
    public SignedVoucher {
        if (claimed < 0 || claimed > count) {
            throw new IllegalArgumentException("claimed must be 0.." + count + ", not " + claimed);
        }
        if (signature == null || signature.length != 65) {
            throw new IllegalArgumentException("a signature is 65 bytes r‖s‖v");
        }
    }
}
