package io.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import org.junit.jupiter.api.Test;

class WeiTest {
    private static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Property
    void additionAgreesWithBigInteger(
            @ForAll @BigRange(min = "0", max = "1e70") BigInteger a,
            @ForAll @BigRange(min = "0", max = "1e70") BigInteger b) {
        assertThat(new Wei(a).plus(new Wei(b)).value()).isEqualTo(a.add(b));
    }

    @Property
    void subtractionAgreesWithBigIntegerOrRefusesToGoNegative(
            @ForAll @BigRange(min = "0", max = "1e70") BigInteger a,
            @ForAll @BigRange(min = "0", max = "1e70") BigInteger b) {
        if (a.compareTo(b) >= 0) {
            assertThat(new Wei(a).minus(new Wei(b)).value()).isEqualTo(a.subtract(b));
        } else {
            assertThatThrownBy(() -> new Wei(a).minus(new Wei(b))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesValuesOutsideUint256() {
        assertThat(new Wei(MAX).value()).isEqualTo(MAX);
        assertThatThrownBy(() -> new Wei(MAX.add(BigInteger.ONE))).hasMessageContaining("not a uint256");
        assertThatThrownBy(() -> new Wei(BigInteger.ONE.negate())).hasMessageContaining("not a uint256");
        assertThatThrownBy(() -> Wei.parse("1.5")).hasMessageContaining("not a decimal amount");
    }
}
