package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tollgate.pricing.PriceTable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Known-answer EIP-712 vectors, shared with the forge test {@code Eip712Vectors.t.sol}: made by this code
 * from fixed inputs (no clock, no randomness), committed as {@code src/test/resources/eip712-vectors.json},
 * and checked for staleness here. Regenerate after a deliberate change with
 * {@code mvn -pl contracts test -Dtest=Eip712VectorsTest -Dtollgate.vectors.write=true}.
 */
class Eip712VectorsTest {
    static final Path FILE = Path.of("src/test/resources/eip712-vectors.json");
    static final long CHAIN_ID = 31337;
    static final String CHANNEL = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    /** anvil's public test account 2: never a real key. */
    static final Credentials SIGNER =
            Credentials.create("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    record Case(long epoch, int category, long count, PriceTable prices) {}

    static final List<Case> CASES = List.of(
            new Case(1, 0, 1, PriceTable.of(1000)),
            new Case(1, 1, 5, PriceTable.of(1000, 2500)),
            new Case(7, 15, 123_456_789, PriceTable.of(new long[16])),
            new Case(Long.MAX_VALUE, 3, Long.MAX_VALUE, PriceTable.of(1, 2, 3, Long.MAX_VALUE)));

    static String generate() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("chainId", CHAIN_ID);
        root.put("verifyingContract", CHANNEL);
        root.put("domainSeparator", hex(VoucherSignatures.domainSeparator(CHAIN_ID, CHANNEL)));
        root.put("voucherTypehash", hex(VoucherSignatures.VOUCHER_TYPEHASH));
        root.put("signer", "0x" + Keys.getAddress(SIGNER.getEcKeyPair()));
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Case c : CASES) {
            byte[] tableHash = c.prices().hash();
            byte[] digest =
                    VoucherSignatures.voucherDigest(CHAIN_ID, CHANNEL, c.epoch(), c.category(), c.count(), tableHash);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("epoch", c.epoch());
            entry.put("category", c.category());
            entry.put("count", c.count());
            entry.put("prices", c.prices().decimals());
            entry.put("priceTableHash", hex(tableHash));
            entry.put(
                    "structHash",
                    hex(VoucherSignatures.voucherStructHash(c.epoch(), c.category(), c.count(), tableHash)));
            entry.put("digest", hex(digest));
            entry.put("signature", hex(VoucherSignatures.sign(digest, SIGNER.getEcKeyPair())));
            cases.add(entry);
        }
        root.put("cases", cases);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    private static String hex(byte[] bytes) {
        return Numeric.toHexString(bytes);
    }

    @Test
    void committedVectorsAreWhatTheCodeMakesNow() throws Exception {
        String fresh = generate();
        if (Boolean.getBoolean("tollgate.vectors.write")) {
            Files.writeString(FILE, fresh, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
                .as("stale %s: regenerate with -Dtollgate.vectors.write=true", FILE)
                .isEqualTo(fresh);
    }

    @Test
    void eachSignatureRecoversToTheSigner() throws Exception {
        for (Case c : CASES) {
            byte[] digest = VoucherSignatures.voucherDigest(
                    CHAIN_ID,
                    CHANNEL,
                    c.epoch(),
                    c.category(),
                    c.count(),
                    c.prices().hash());
            byte[] sig = VoucherSignatures.sign(digest, SIGNER.getEcKeyPair());
            var data = new Sign.SignatureData(
                    sig[64], java.util.Arrays.copyOfRange(sig, 0, 32), java.util.Arrays.copyOfRange(sig, 32, 64));
            BigInteger key = Sign.signedMessageHashToKey(digest, data);
            assertThat(Keys.getAddress(key)).isEqualTo(Keys.getAddress(SIGNER.getEcKeyPair()));
        }
    }
}
