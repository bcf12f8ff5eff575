package io.tollgate.gateway.voucher;

import io.tollgate.protocol.Headers;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Reads the voucher a request carries. */
public interface VoucherReader {

    /** The request header that carries the voucher. */
    String HEADER = Headers.VOUCHER;

    VoucherRead read(ServerHttpRequest request);

    sealed interface VoucherRead {
        /** No voucher: the client has to learn what to pay. */
        record Missing() implements VoucherRead {}

        /** Something that is not a voucher; {@code detail} says why, without echoing the value. */
        record Malformed(String detail) implements VoucherRead {}

        record Present(PaidVoucher voucher) implements VoucherRead {}
    }
}
