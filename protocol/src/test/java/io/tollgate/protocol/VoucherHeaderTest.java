package io.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class VoucherHeaderTest {
    static final Address CHANNEL = Address.of("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final byte[] HASH = new byte[32];
    static final byte[] SIGNATURE = new byte[65];

    static {
        for (int i = 0; i < 32; i++) {
            HASH[i] = (byte) i;
        }
        for (int i = 0; i < 65; i++) {
            SIGNATURE[i] = (byte) (200 - i);
        }
    }

    @Test
    void aHeaderIs135BytesAs180UnpaddedBase64UrlCharacters() {
        String header = VoucherHeader.encode(CHANNEL, 3, 2, 42, HASH, SIGNATURE);
        assertThat(header).hasSize(180).matches("[A-Za-z0-9_-]+");
        byte[] bytes = Base64.getUrlDecoder().decode(header);
        var buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.get()).isEqualTo(VoucherHeader.VERSION);
        byte[] channel = new byte[20];
        buffer.get(channel);
        assertThat(channel).isEqualTo(CHANNEL.bytes());
        assertThat(buffer.getLong()).isEqualTo(3);
        assertThat(buffer.get()).isEqualTo((byte) 2);
        assertThat(buffer.getLong()).isEqualTo(42);
    }

    @Property
    void everyValidVoucherRoundTrips(
            @ForAll @LongRange(min = 1, max = VoucherHeader.MAX_NUMBER) long epoch,
            @ForAll @IntRange(min = 0, max = 15) int category,
            @ForAll @LongRange(min = 1, max = VoucherHeader.MAX_NUMBER) long count,
            @ForAll @Size(20) byte[] channel,
            @ForAll @Size(32) byte[] hash,
            @ForAll @Size(65) byte[] signature) {
        var voucher = new Voucher(Address.of(channel), epoch, category, count, hash, signature);
        String header = VoucherHeader.encode(voucher);
        assertThat(VoucherHeader.decode(header)).isEqualTo(voucher);
        assertThat(VoucherHeader.decode("  " + header + "\t")).isEqualTo(voucher);
    }

    @Test
    void theLimitsAreInclusive() {
        var voucher = VoucherHeader.decode(
                VoucherHeader.encode(CHANNEL, VoucherHeader.MAX_NUMBER, 15, VoucherHeader.MAX_NUMBER, HASH, SIGNATURE));
        assertThat(voucher.epoch()).isEqualTo(VoucherHeader.MAX_NUMBER);
        assertThat(voucher.count()).isEqualTo(VoucherHeader.MAX_NUMBER);
        assertThat(voucher.category()).isEqualTo(15);
        assertThat(voucher.priceTableHash()).isEqualTo(HASH);
        assertThat(voucher.signature()).isEqualTo(SIGNATURE);
        assertThat(voucher.priceTableHashHex()).startsWith("0x000102");
        assertThat(voucher.toString()).doesNotContain("signature");
    }

    @Test
    void eachMalformedHeaderIsRefusedWithTheGatewaysReason() {
        assertRefused("not base64!", "not base64url");
        assertRefused("AAAA", "expected 135 bytes, got 3");
        assertRefused(VoucherHeader.encode(CHANNEL, 1, 0, 1, HASH, SIGNATURE) + "AAAA", "expected 135 bytes, got 138");
        byte[] version2 = Base64.getUrlDecoder().decode(VoucherHeader.encode(CHANNEL, 1, 0, 1, HASH, SIGNATURE));
        version2[0] = 2;
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(version2), "unknown voucher version 2");
        assertRefused(header(0, 0, 1), "epoch must be 1..2^53-1");
        assertRefused(header(-1, 0, 1), "epoch must be 1..2^53-1");
        assertRefused(header(1L << 53, 0, 1), "epoch must be 1..2^53-1");
        assertRefused(header(1, 0, 0), "count must be 1..2^53-1");
        assertRefused(header(1, 0, Long.MIN_VALUE), "count must be 1..2^53-1");
        assertRefused(header(1, 0, 1L << 53), "count must be 1..2^53-1");
        assertRefused(header(1, 16, 1), "category must be 0..15");
        assertRefused(header(1, 255, 1), "category must be 0..15");
    }

    @Test
    void aMalformedHeaderCostsNoStackTrace() {
        assertThatThrownBy(() -> VoucherHeader.decode("AAAA"))
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }

    @Test
    void encodingRefusesWrongLengths() {
        assertThatThrownBy(() -> VoucherHeader.encode(CHANNEL, 1, 0, 1, new byte[31], SIGNATURE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VoucherHeader.encode(CHANNEL, 1, 0, 1, HASH, new byte[64]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Voucher(CHANNEL, 1, 0, 1, HASH, new byte[66]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String header(long epoch, int category, long count) {
        return VoucherHeader.encode(CHANNEL, epoch, category, count, HASH, SIGNATURE);
    }

    private static void assertRefused(String header, String reason) {
        assertThatThrownBy(() -> VoucherHeader.decode(header))
                .isInstanceOf(VoucherHeader.MalformedVoucherException.class)
                .hasMessage(reason);
    }
}
