package io.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

class PriceTableTest {
    static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Provide
    Arbitrary<List<BigInteger>> tables() {
        return Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, MAX)
                .list()
                .ofMinSize(1)
                .ofMaxSize(16);
    }

    @Property(tries = 300)
    void hashIsKeccakOfTheAbiPackedPricesAsTheContractComputesIt(@ForAll("tables") List<BigInteger> prices) {
        // abi.encodePacked(uint256[]) is the 32-byte words of the elements; encode them with web3j's ABI encoder
        var packed = new StringBuilder();
        prices.forEach(price -> packed.append(TypeEncoder.encode(new Uint256(price))));
        byte[] expected = Hash.sha3(Numeric.hexStringToByteArray(packed.toString()));

        var table = new PriceTable(prices.stream().map(Wei::new).toList());
        assertThat(table.hash()).isEqualTo(expected);
        assertThat(table.hashHex()).isEqualTo(Numeric.toHexString(expected));
    }

    @Test
    void refusesEmptyAndOversizedTables() {
        assertThatThrownBy(() -> new PriceTable(List.of())).hasMessageContaining("1 to 16 categories");
        assertThatThrownBy(() -> PriceTable.of(new long[17])).hasMessageContaining("not 17");
        assertThat(PriceTable.of(new long[16]).categories()).isEqualTo(16);
    }

    @Test
    void costsAndExposureAreExactAndUnknownCategoriesAreRefused() {
        var table = new PriceTable(List.of(Wei.parse("1000000000000000000000"), Wei.of(3)));
        assertThat(table.cost(0, 3)).isEqualTo(Wei.parse("3000000000000000000000"));
        assertThat(table.exposure(new long[] {2, 5})).isEqualTo(Wei.parse("2000000000000000000015"));
        assertThatThrownBy(() -> table.price(2)).hasMessageContaining("category 2 is not in this price table (0..1)");
        assertThatThrownBy(() -> table.cost(0, -1)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> table.exposure(new long[3])).hasMessageContaining("table has 2");
    }

    @Test
    void parsesDecimalStringsAndRefusesOthers() {
        assertThat(PriceTable.parse(List.of("1", "25")).decimals()).containsExactly("1", "25");
        assertThatThrownBy(() -> PriceTable.parse(List.of("-1"))).hasMessageContaining("not a uint256");
        assertThatThrownBy(() -> PriceTable.parse(List.of("1e3"))).hasMessageContaining("not a decimal amount");
    }
}
