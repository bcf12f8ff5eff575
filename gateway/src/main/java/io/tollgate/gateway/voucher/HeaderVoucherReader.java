package io.tollgate.gateway.voucher;

import io.tollgate.protocol.VoucherHeader;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Reads the {@code Payment-Voucher} header in the {@link VoucherHeaderCodec} format. */
public final class HeaderVoucherReader implements VoucherReader {

    @Override
    public VoucherRead read(ServerHttpRequest request) {
        var values = request.getHeaders().get(HEADER);
        if (values == null || values.isEmpty()) {
            return new VoucherRead.Missing();
        }
        if (values.size() > 1) {
            return new VoucherRead.Malformed("more than one " + HEADER + " header");
        }
        try {
            return new VoucherRead.Present(VoucherHeaderCodec.decode(values.getFirst()));
        } catch (VoucherHeader.MalformedVoucherException e) {
            return new VoucherRead.Malformed(e.getMessage());
        }
    }
}
