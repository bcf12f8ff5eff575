package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.Secp256k1SignatureCheck;
import io.tollgate.gateway.voucher.SignatureCheck.SignatureOutcome;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.VoucherHeader.MalformedVoucherException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The {@code Payment-Voucher} parser and the signature check under arbitrary input: whatever arrives, the
 * parser either decodes a voucher or refuses it as malformed (never another exception, which would be a 500),
 * and no change to a signed voucher, however small, passes the signature check.
 */
class VoucherParserFuzzTest {

    private static final StaticChannel CHANNEL = StaticChannel.fresh(Wei.of(1000), Wei.of(1_000_000));
    private static final byte[] SIGNED = Base64.getUrlDecoder().decode(CHANNEL.voucher(7));
    private static final Secp256k1SignatureCheck signatures = new Secp256k1SignatureCheck();

    /** Decodes, or empty when refused as malformed; any other exception fails the property. */
    private static Optional<PaidVoucher> decode(String header) {
        try {
            return Optional.of(VoucherHeaderCodec.decode(header));
        } catch (MalformedVoucherException e) {
            assertThat(e.getMessage()).isNotBlank();
            return Optional.empty();
        }
    }

    @Property(tries = 3000)
    void anyTextIsDecodedOrRefusedAsMalformed(@ForAll String header) {
        decode(header);
    }

    @Property(tries = 3000)
    void anyBytesInBase64urlAreDecodedOrRefusedAsMalformed(@ForAll @Size(max = 300) byte[] bytes) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        decode(header).ifPresent(v -> assertThat(v.encoded()).isEqualTo(header));
    }

    @Property(tries = 3000)
    void anyBytesOfTheVersion1LengthAreDecodedOrRefusedAndRoundTrip(
            @ForAll @Size(value = VoucherHeaderCodec.LENGTH) byte[] bytes, @ForAll boolean versionOne) {
        if (versionOne) {
            bytes[0] = VoucherHeaderCodec.VERSION;
        }
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        decode(header).ifPresent(v -> {
            assertThat(VoucherHeaderCodec.encode(
                            v.voucher().channel().value(),
                            v.voucher().epoch(),
                            v.voucher().category(),
                            v.voucher().count(),
                            v.voucher().priceTableHash(),
                            v.voucher().signature()))
                    .isEqualTo(header);
            // any decodable bytes go through the signature check without an exception
            assertThat(signatures.check(v.voucher(), StaticChannel.CHAIN_ID, TestVouchers.SIGNER.getAddress()))
                    .isNotEqualTo(SignatureOutcome.VALID);
        });
    }

    @Provide
    Arbitrary<String> nearlyBase64() {
        return Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \t")
                .ofMinLength(170)
                .ofMaxLength(190);
    }

    @Property(tries = 3000)
    void textThatNearlyLooksLikeAVoucherIsDecodedOrRefused(@ForAll("nearlyBase64") String header) {
        decode(header);
    }

    @Property(tries = 3000)
    void noChangedByteOfASignedVoucherPassesTheSignatureCheck(
            @ForAll @IntRange(min = 0, max = VoucherHeaderCodec.LENGTH - 1) int position,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] changed = Arrays.copyOf(SIGNED, SIGNED.length);
        changed[position] ^= (byte) flip;
        decode(Base64.getUrlEncoder().withoutPadding().encodeToString(changed))
                .ifPresent(v -> assertThat(
                                signatures.check(v.voucher(), StaticChannel.CHAIN_ID, TestVouchers.SIGNER.getAddress()))
                        .isNotEqualTo(SignatureOutcome.VALID));
    }

    @Property(tries = 1000)
    void noTwoChangedBytesOfASignedVoucherPassTheSignatureCheck(
            @ForAll @IntRange(min = 1, max = VoucherHeaderCodec.LENGTH - 1) int first,
            @ForAll @IntRange(min = 1, max = VoucherHeaderCodec.LENGTH - 1) int second,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] changed = Arrays.copyOf(SIGNED, SIGNED.length);
        changed[first] ^= (byte) flip;
        if (second != first) {
            changed[second] ^= (byte) flip;
        }
        decode(Base64.getUrlEncoder().withoutPadding().encodeToString(changed))
                .ifPresent(v -> assertThat(
                                signatures.check(v.voucher(), StaticChannel.CHAIN_ID, TestVouchers.SIGNER.getAddress()))
                        .isNotEqualTo(SignatureOutcome.VALID));
    }

    @Provide
    Arbitrary<byte[]> signatures() {
        var bytes = Arbitraries.bytes().array(byte[].class).ofSize(65);
        var edges = Arbitraries.of((byte) 0x00, (byte) 0xff);
        return Arbitraries.oneOf(
                bytes, // v anything
                bytes.map(s -> withV(s, 27 + (s[0] & 1))), // v valid, r and s random
                edges.array(byte[].class).ofSize(65).map(s -> withV(s, 27 + (s[0] & 1)))); // r, s = 0 or all ones
    }

    private static byte[] withV(byte[] signature, int v) {
        signature[64] = (byte) v;
        return signature;
    }

    @Property(tries = 3000)
    void anySignatureBytesAreCheckedWithoutAnExceptionAndNeverPass(@ForAll("signatures") byte[] signature) {
        var voucher = VoucherHeaderCodec.decode(VoucherHeaderCodec.encode(
                CHANNEL.address(), 1, 0, 7, CHANNEL.terms().priceTableHash(), signature));
        assertThat(signatures.check(voucher.voucher(), StaticChannel.CHAIN_ID, TestVouchers.SIGNER.getAddress()))
                .isNotEqualTo(SignatureOutcome.VALID);
    }

    @Example
    void theUnchangedVoucherPasses() {
        assertThat(signatures.check(
                        decode(CHANNEL.voucher(7)).orElseThrow().voucher(),
                        StaticChannel.CHAIN_ID,
                        TestVouchers.SIGNER.getAddress()))
                .isEqualTo(SignatureOutcome.VALID);
    }
}
