package io.tollgate.gateway.voucher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.gateway.voucher.SignatureCheck.SignatureOutcome;
import io.tollgate.protocol.VoucherHeader;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.StructuredDataEncoder;

class VoucherCryptoTest {

    private static final String CHANNEL = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final byte[] HASH =
            HexFormat.of().parseHex("1111111111111111111111111111111111111111111111111111111111111111");

    private final SignatureCheck check = new Secp256k1SignatureCheck();

    @Test
    void digestAgreesWithWeb3jStructuredDataEncoder() throws Exception {
        String json = """
                {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                  {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                  "Voucher":[{"name":"epoch","type":"uint64"},{"name":"category","type":"uint8"},
                  {"name":"count","type":"uint64"},{"name":"priceTableHash","type":"bytes32"}]},
                 "primaryType":"Voucher",
                 "domain":{"name":"Tollgate Intermediary","version":"1","chainId":31337,
                   "verifyingContract":"%s"},
                 "message":{"epoch":3,"category":2,"count":42,"priceTableHash":"0x%s"}}
                """.formatted(CHANNEL, HexFormat.of().formatHex(HASH));
        byte[] expected = new StructuredDataEncoder(json).hashStructuredData();
        byte[] actual =
                VoucherSignatures.voucherDigest(VoucherSignatures.domainSeparator(31337, CHANNEL), 3, 2, 42, HASH);
        assertThat(HexFormat.of().formatHex(actual)).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void headerRoundTripsEveryField() {
        String header = TestVouchers.header(TestVouchers.SIGNER, 31337, CHANNEL, 7, 3, 123_456_789L, HASH);
        assertThat(header).hasSize(180);
        var voucher = VoucherHeaderCodec.decode(header);
        assertThat(voucher.voucher().channel().value()).isEqualTo(CHANNEL);
        assertThat(voucher.voucher().epoch()).isEqualTo(7);
        assertThat(voucher.voucher().category()).isEqualTo(3);
        assertThat(voucher.voucher().count()).isEqualTo(123_456_789L);
        assertThat(voucher.voucher().priceTableHash()).isEqualTo(HASH);
        assertThat(voucher.encoded()).isEqualTo(header);
        assertThat(voucher.toString())
                .doesNotContain(HexFormat.of().formatHex(voucher.voucher().signature()));
    }

    @Test
    void refusesHeadersThatAreNotVersionOneVouchers() {
        assertThatThrownBy(() -> VoucherHeaderCodec.decode("not base64!"))
                .isInstanceOf(VoucherHeader.MalformedVoucherException.class);
        assertThatThrownBy(() -> VoucherHeaderCodec.decode("AAAA"))
                .isInstanceOf(VoucherHeader.MalformedVoucherException.class);
        String header = TestVouchers.header(TestVouchers.SIGNER, 31337, CHANNEL, 1, 0, 1, HASH);
        String version2 = "Ag" + header.substring(2);
        assertThatThrownBy(() -> VoucherHeaderCodec.decode(version2))
                .isInstanceOf(VoucherHeader.MalformedVoucherException.class);
        byte[] signature = TestVouchers.sign(TestVouchers.SIGNER, 31337, CHANNEL, 1, 0, 1, HASH);
        assertThat(VoucherHeaderCodec.decode(VoucherHeaderCodec.encode(CHANNEL, 1, 0, (1L << 53) - 1, HASH, signature))
                        .voucher()
                        .count())
                .isEqualTo((1L << 53) - 1);
        assertThatThrownBy(() ->
                        VoucherHeaderCodec.decode(VoucherHeaderCodec.encode(CHANNEL, 1, 0, 1L << 53, HASH, signature)))
                .isInstanceOf(VoucherHeader.MalformedVoucherException.class)
                .hasMessageContaining("2^53");
        assertThatThrownBy(() ->
                        VoucherHeaderCodec.decode(VoucherHeaderCodec.encode(CHANNEL, 1L << 53, 0, 1, HASH, signature)))
                .isInstanceOf(VoucherHeader.MalformedVoucherException.class);
    }

    @Test
    void acceptsTheSignersSignatureOnly() {
        var voucher =
                VoucherHeaderCodec.decode(TestVouchers.header(TestVouchers.SIGNER, 31337, CHANNEL, 1, 0, 5, HASH));
        assertThat(check.check(voucher.voucher(), 31337, TestVouchers.SIGNER.getAddress()))
                .isEqualTo(SignatureOutcome.VALID);
        assertThat(check.check(voucher.voucher(), 31337, TestVouchers.STRANGER.getAddress()))
                .isEqualTo(SignatureOutcome.WRONG_SIGNER);
        assertThat(check.check(voucher.voucher(), 1, TestVouchers.SIGNER.getAddress()))
                .isEqualTo(SignatureOutcome.WRONG_SIGNER);
    }

    /** What {@code check} says of {@code signature} on count 9 of epoch 1 as {@link TestVouchers#SIGNER}'s. */
    private static SignatureOutcome checkCount9BySigner(SignatureCheck check, byte[] signature) {
        var voucher = VoucherHeaderCodec.decode(VoucherHeaderCodec.encode(CHANNEL, 1, 0, 9, HASH, signature))
                .voucher();
        return check.check(voucher, 31337, TestVouchers.SIGNER.getAddress());
    }

    @Test
    void onceASignersKeyIsKnownOtherKeysAndAFlippedRecoveryIdStillFail() {
        var fresh = new Secp256k1SignatureCheck();
        byte[] signed = TestVouchers.sign(TestVouchers.SIGNER, 31337, CHANNEL, 1, 0, 9, HASH);
        assertThat(checkCount9BySigner(fresh, signed)).isEqualTo(SignatureOutcome.VALID);

        var stranger =
                VoucherHeaderCodec.decode(TestVouchers.header(TestVouchers.STRANGER, 31337, CHANNEL, 1, 0, 10, HASH));
        assertThat(fresh.check(stranger.voucher(), 31337, TestVouchers.SIGNER.getAddress()))
                .isEqualTo(SignatureOutcome.WRONG_SIGNER);
        byte[] flipped = signed.clone();
        flipped[64] = (byte) (flipped[64] == 27 ? 28 : 27); // the contract's ecrecover would find another key
        assertThat(checkCount9BySigner(fresh, flipped)).isNotEqualTo(SignatureOutcome.VALID);
    }

    @Test
    void rejectsHighSSignatures() {
        byte[] low = TestVouchers.sign(TestVouchers.SIGNER, 31337, CHANNEL, 1, 0, 5, HASH);
        var voucher =
                VoucherHeaderCodec.decode(VoucherHeaderCodec.encode(CHANNEL, 1, 0, 5, HASH, TestVouchers.highS(low)));
        assertThat(check.check(voucher.voucher(), 31337, TestVouchers.SIGNER.getAddress()))
                .isEqualTo(SignatureOutcome.INVALID);
    }

    @Test
    void rejectsSignaturesThatDoNotRecover() {
        byte[] garbage = new byte[65];
        garbage[64] = 27;
        var voucher = VoucherHeaderCodec.decode(VoucherHeaderCodec.encode(CHANNEL, 1, 0, 5, HASH, garbage));
        assertThat(check.check(voucher.voucher(), 31337, TestVouchers.SIGNER.getAddress()))
                .isEqualTo(SignatureOutcome.INVALID);
    }
}
