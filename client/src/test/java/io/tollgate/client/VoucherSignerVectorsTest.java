package io.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.pricing.PriceTable;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * The client's own EIP-712 code held to the known-answer vectors the contract's forge test
 * ({@code Eip712Vectors.t.sol}) checks against {@code voucherDigest} on the EVM: the same digests, and
 * byte-for-byte the same RFC 6979 signatures from the same key.
 */
class VoucherSignerVectorsTest {
    static final Path VECTORS = Path.of("../contracts/src/test/resources/eip712-vectors.json");
    /** anvil's public test account 2, the vectors' signer: never a real key. */
    static final ECKeyPair SIGNER =
            ECKeyPair.create(new BigInteger("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", 16));

    @Test
    void digestsAndSignaturesMatchTheContractsVectors() throws Exception {
        JsonNode root = new ObjectMapper().readTree(VECTORS.toFile());
        assertThat(root.get("signer").asText()).isEqualTo("0x" + Keys.getAddress(SIGNER));
        var signer = new VoucherSigner(SIGNER);
        var hex = HexFormat.of();
        int checked = 0;
        for (JsonNode c : root.get("cases")) {
            List<String> prices = new ArrayList<>();
            c.get("prices").forEach(p -> prices.add(p.asText()));
            var terms = new ChannelTerms(
                    root.get("verifyingContract").asText(),
                    root.get("chainId").asLong(),
                    c.get("epoch").asLong(),
                    PriceTable.parse(prices));
            assertThat(terms.prices().hashHex())
                    .isEqualTo(c.get("priceTableHash").asText());

            int category = c.get("category").asInt();
            long count = c.get("count").asLong();
            assertThat(hex.formatHex(VoucherSigner.digest(terms, category, count)))
                    .as("digest of case %s", c)
                    .isEqualTo(c.get("digest").asText().substring(2));

            byte[] header = Base64.getUrlDecoder().decode(signer.sign(terms, category, count));
            byte[] signature = Arrays.copyOfRange(header, header.length - 65, header.length);
            assertThat(hex.formatHex(signature))
                    .as("signature of case %s", c)
                    .isEqualTo(c.get("signature").asText().substring(2));
            checked++;
        }
        assertThat(checked).isEqualTo(root.get("cases").size()).isGreaterThanOrEqualTo(4);
    }
}
