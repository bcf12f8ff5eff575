package io.tollgate.protocol;

import static io.tollgate.protocol.Eip712Reference.concat;
import static io.tollgate.protocol.Eip712Reference.hex;
import static io.tollgate.protocol.Eip712Reference.separator;
import static io.tollgate.protocol.Eip712Reference.typed;
import static io.tollgate.protocol.Eip712Reference.word;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.pricing.PriceTable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The digests held to the committed vectors (made by the contracts module, checked by the forge test
 * {@code Eip712Vectors.t.sol} against the contract) and, where the vectors have none, to an independent encoding
 * with web3j's keccak and padding.
 */
class Eip712Test {
    static final Path VECTORS = Path.of("../contracts/src/test/resources/eip712-vectors.json");

    record Case(long epoch, int category, long count, List<String> prices, String hash, String struct, String digest) {}

    @Test
    void theVoucherDigestsAreTheCommittedVectors() throws IOException {
        String json = Files.readString(VECTORS);
        long chainId = Long.parseLong(field(json, "chainId"));
        Address channel = Address.of(field(json, "verifyingContract"));
        assertThat(hex(Eip712.domainSeparator(chainId, channel))).isEqualTo(field(json, "domainSeparator"));
        assertThat(hex(Eip712.voucherTypehash())).isEqualTo(field(json, "voucherTypehash"));
        List<Case> cases = cases(json);
        assertThat(cases).hasSize(4);
        for (Case c : cases) {
            byte[] tableHash = PriceTable.parse(c.prices()).hash();
            assertThat(hex(tableHash)).isEqualTo(c.hash());
            assertThat(hex(Eip712.voucherStructHash(c.epoch(), c.category(), c.count(), tableHash)))
                    .isEqualTo(c.struct());
            assertThat(hex(Eip712.voucherDigest(chainId, channel, c.epoch(), c.category(), c.count(), tableHash)))
                    .isEqualTo(c.digest());
            assertThat(hex(new Voucher(channel, c.epoch(), c.category(), c.count(), tableHash, new byte[65])
                            .digest(chainId)))
                    .isEqualTo(c.digest());
        }
    }

    @Test
    void theTypehashesAreTheContractsTypeStrings() {
        assertThat(Eip712.windowReportTypehash())
                .isEqualTo(Hash.sha3("WindowReport(uint64 window,uint32 availabilityBps)".getBytes()));
        assertThat(Eip712.upgradeConsentTypehashRelease1())
                .isEqualTo(
                        Hash.sha3("UpgradeConsent(address implementation,uint256 nonce,uint256 deadline)".getBytes()));
        assertThat(Eip712.upgradeConsentTypehashRelease2())
                .isEqualTo(Hash.sha3(
                        "UpgradeConsent(address implementation,bytes32 dataHash,uint256 nonce,uint256 deadline)"
                                .getBytes()));
    }

    @Property(tries = 200)
    void windowReportDigestsAreTheIndependentEncoding(
            @ForAll @Size(20) byte[] channel,
            @ForAll @LongRange(min = 1) long chainId,
            @ForAll @LongRange(min = 0) long window,
            @ForAll @IntRange(min = 0, max = 10_000) int bps) {
        Address address = Address.of(channel);
        assertThat(Eip712.windowReportDigest(chainId, address, window, bps))
                .isEqualTo(typedData(
                        chainId,
                        address,
                        concat(
                                Hash.sha3("WindowReport(uint64 window,uint32 availabilityBps)".getBytes()),
                                word(BigInteger.valueOf(window)),
                                word(BigInteger.valueOf(bps)))));
    }

    @Property(tries = 200)
    void upgradeConsentDigestsOfBothReleasesAreTheIndependentEncoding(
            @ForAll @Size(20) byte[] channel,
            @ForAll @Size(20) byte[] implementation,
            @ForAll @Size(32) byte[] dataHash,
            @ForAll @LongRange(min = 0) long nonce,
            @ForAll @LongRange(min = 0) long deadline) {
        Address address = Address.of(channel);
        Address target = Address.of(implementation);
        var n = BigInteger.valueOf(nonce);
        var d = BigInteger.valueOf(deadline);
        assertThat(Eip712.upgradeConsentDigestRelease1(31337, address, target, n, d))
                .isEqualTo(typedData(
                        31337,
                        address,
                        concat(
                                Hash.sha3("UpgradeConsent(address implementation,uint256 nonce,uint256 deadline)"
                                        .getBytes()),
                                word(Numeric.toBigInt(implementation)),
                                word(n),
                                word(d))));
        assertThat(Eip712.upgradeConsentDigestRelease2(31337, address, target, dataHash, n, d))
                .isEqualTo(typedData(
                        31337,
                        address,
                        concat(
                                Hash.sha3(("UpgradeConsent(address implementation,bytes32 dataHash,uint256 nonce,"
                                                + "uint256 deadline)")
                                        .getBytes()),
                                word(Numeric.toBigInt(implementation)),
                                dataHash,
                                word(n),
                                word(d))));
    }

    private static byte[] typedData(long chainId, Address channel, byte[] struct) {
        return typed(separator("Tollgate Intermediary", "1", chainId, channel), struct);
    }

    /** The vector file is small and fixed in shape (Jackson's indented output): no JSON library needed. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\" : \"?([0-9a-fx]+)\"?").matcher(json);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    private static List<Case> cases(String json) {
        Matcher m = Pattern.compile("\\{\\s*\"epoch\" : (\\d+),\\s*\"category\" : (\\d+),\\s*\"count\" : (\\d+),"
                        + "\\s*\"prices\" : \\[([^]]*)],\\s*\"priceTableHash\" : \"(0x[0-9a-f]+)\","
                        + "\\s*\"structHash\" : \"(0x[0-9a-f]+)\",\\s*\"digest\" : \"(0x[0-9a-f]+)\"")
                .matcher(json);
        List<Case> cases = new ArrayList<>();
        while (m.find()) {
            List<String> prices = Pattern.compile("\"(\\d+)\"")
                    .matcher(m.group(4))
                    .results()
                    .map(r -> r.group(1))
                    .toList();
            cases.add(new Case(
                    Long.parseLong(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    Long.parseLong(m.group(3)),
                    prices,
                    m.group(5),
                    m.group(6),
                    m.group(7)));
        }
        return cases;
    }

    @Test
    void typedDataListsTheFieldsTheTypeStringsName() {
        var data = Eip712.typedData(Eip712.UPGRADE_CONSENT_TYPE_RELEASE_1, Map.of("name", "n"), Map.of("nonce", "1"));
        assertThat(data.get("primaryType")).isEqualTo("UpgradeConsent");
        assertThat(data.get("types"))
                .isEqualTo(Map.of(
                        "EIP712Domain",
                        List.of(
                                Map.of("name", "name", "type", "string"),
                                Map.of("name", "version", "type", "string"),
                                Map.of("name", "chainId", "type", "uint256"),
                                Map.of("name", "verifyingContract", "type", "address")),
                        "UpgradeConsent",
                        List.of(
                                Map.of("name", "implementation", "type", "address"),
                                Map.of("name", "nonce", "type", "uint256"),
                                Map.of("name", "deadline", "type", "uint256"))));
        assertThat(data.get("domain")).isEqualTo(Map.of("name", "n"));
        assertThat(data.get("message")).isEqualTo(Map.of("nonce", "1"));
    }
}
