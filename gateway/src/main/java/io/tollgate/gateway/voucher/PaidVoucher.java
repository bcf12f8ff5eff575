package io.tollgate.gateway.voucher;

import io.tollgate.protocol.Voucher;

/**
 * A voucher as it arrived in a {@code Payment-Voucher} header: the protocol's {@link Voucher} and what the gateway
 * keeps beside it, the header value itself in its canonical form (what the ledger stores).
 *
 * @param voucher the signed voucher the header carries
 * @param encoded the header value, re-encoded canonically
 */
public record PaidVoucher(Voucher voucher, String encoded) {

    @Override
    public String toString() {
        // never the signature or the header (logs must not carry them): the voucher's own toString leaves it out
        return "PaidVoucher[" + voucher + "]";
    }
}
