package io.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.pricing.PriceTable;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;

class VoucherSignerTest {
    /** anvil's public test account 1: never a real key. */
    static final ECKeyPair SIGNER =
            ECKeyPair.create(new BigInteger("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", 16));

    static final BigInteger HALF_N =
            new BigInteger("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", 16);

    static final ChannelTerms TERMS =
            new ChannelTerms("0x5FbDB2315678afecb367f032d93F642f64180aa3", 31337, 3, PriceTable.of(1000, 2500));

    @Test
    void digestAgreesWithWeb3jsEip712Encoder() throws Exception {
        String json = """
                {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                  {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                 "Voucher":[{"name":"epoch","type":"uint64"},{"name":"category","type":"uint8"},
                  {"name":"count","type":"uint64"},{"name":"priceTableHash","type":"bytes32"}]},
                 "primaryType":"Voucher",
                 "domain":{"name":"Tollgate Intermediary","version":"1","chainId":31337,
                  "verifyingContract":"0x5fbdb2315678afecb367f032d93f642f64180aa3"},
                 "message":{"epoch":3,"category":1,"count":42,"priceTableHash":"%s"}}
                """.formatted(TERMS.prices().hashHex());
        byte[] expected = new StructuredDataEncoder(json).hashStructuredData();
        assertThat(VoucherSigner.digest(TERMS, 1, 42)).isEqualTo(expected);
    }

    @Property(tries = 200)
    void headerCarriesTheFieldsAndALowSSignatureByTheSigner(
            @ForAll @IntRange(min = 0, max = 1) int category,
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long count)
            throws Exception {
        String header = new VoucherSigner(SIGNER).sign(TERMS, category, count);
        byte[] bytes = Base64.getUrlDecoder().decode(header);
        assertThat(header).hasSize(180).doesNotContain("=");
        var buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.get()).isEqualTo(VoucherSigner.HEADER_VERSION);
        byte[] channel = new byte[20];
        buffer.get(channel);
        assertThat("0x" + HexFormat.of().formatHex(channel)).isEqualTo(TERMS.channel());
        assertThat(buffer.getLong()).isEqualTo(TERMS.epoch());
        assertThat(buffer.get()).isEqualTo((byte) category);
        assertThat(buffer.getLong()).isEqualTo(count);
        byte[] hash = new byte[32];
        buffer.get(hash);
        assertThat(hash).isEqualTo(TERMS.prices().hash());

        byte[] r = Arrays.copyOfRange(bytes, 70, 102);
        byte[] s = Arrays.copyOfRange(bytes, 102, 134);
        byte v = bytes[134];
        assertThat(new BigInteger(1, s)).isLessThanOrEqualTo(HALF_N);
        assertThat(v).isIn((byte) 27, (byte) 28);
        var key = Sign.signedMessageHashToKey(
                VoucherSigner.digest(TERMS, category, count), new Sign.SignatureData(v, r, s));
        assertThat("0x" + Keys.getAddress(key)).isEqualTo(new VoucherSigner(SIGNER).address());
    }

    @Test
    void signerAddressIsAnvilAccountOne() {
        assertThat(new VoucherSigner(SIGNER).address()).isEqualTo("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    }
}
