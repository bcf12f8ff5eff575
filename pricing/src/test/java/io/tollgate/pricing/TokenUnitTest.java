package io.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TokenUnitTest {
    private static final TokenUnit USD = new TokenUnit("USDT-demo", 6);

    @Test
    void formatsExactlyWithoutTrailingZeros() {
        assertThat(USD.format(BigInteger.valueOf(1_000))).isEqualTo("0.001");
        assertThat(USD.format(BigInteger.valueOf(2_500_000))).isEqualTo("2.5");
        assertThat(USD.format(BigInteger.ZERO)).isEqualTo("0");
        assertThat(USD.describe(BigInteger.ONE)).isEqualTo("0.000001 USDT-demo");
        assertThat(TokenUnit.ETHER.format(new BigInteger("100000000000000000"))).isEqualTo("0.1");
        assertThat(new TokenUnit("RAW", 0).format(BigInteger.valueOf(12))).isEqualTo("12");
    }

    @Test
    void parsesWholeUnitsToBaseUnits() {
        assertThat(USD.parse("0.001")).isEqualTo(Wei.of(1_000));
        assertThat(USD.parse(" 3 ")).isEqualTo(Wei.of(3_000_000));
        assertThat(USD.parse(".5")).isEqualTo(Wei.of(500_000));
        assertThat(USD.parse("1.500000")).isEqualTo(Wei.of(1_500_000));
        assertThat(TokenUnit.ETHER.parse("0.000000000000000001")).isEqualTo(Wei.of(1));
    }

    @Test
    void refusesWhatCannotBePaidExactly() {
        assertThatThrownBy(() -> USD.parse("0.0000001"))
                .hasMessage("'0.0000001' has more than 6 decimal places, the smallest unit of USDT-demo");
        assertThatThrownBy(() -> USD.parse("-1")).hasMessageContaining("is not an amount of USDT-demo");
        assertThatThrownBy(() -> USD.parse("1e3")).hasMessageContaining("is not an amount");
        assertThatThrownBy(() -> USD.parse("1.")).hasMessageContaining("is not an amount");
        assertThatThrownBy(() -> USD.parse(null)).hasMessageContaining("is not an amount");
        assertThatThrownBy(() -> TokenUnit.ETHER.parse("1" + "0".repeat(60)))
                .hasMessageContaining("more than a uint256 holds");
    }

    @Test
    void refusesImpossibleTokens() {
        assertThatThrownBy(() -> new TokenUnit("X", 37)).hasMessageContaining("0 to 36 decimals");
        assertThatThrownBy(() -> new TokenUnit(" ", 6)).hasMessageContaining("1 to 32 characters");
    }

    @Property
    void formatThenParseIsTheIdentity(
            @ForAll @BigRange(min = "0", max = "1000000000000000000000000000000") BigInteger units,
            @ForAll @IntRange(min = 0, max = 36) int decimals) {
        TokenUnit unit = new TokenUnit("T", decimals);
        assertThat(unit.parse(unit.format(units)).value()).isEqualTo(units);
    }
}
