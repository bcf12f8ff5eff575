package io.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {
    static final String MIXED = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    @Test
    void anAddressIsHeldLowerCaseSoTwoSpellingsAreEqual() {
        assertThat(Address.of(MIXED).value()).isEqualTo("0x5fbdb2315678afecb367f032d93f642f64180aa3");
        assertThat(Address.of(MIXED)).isEqualTo(Address.of(MIXED.toLowerCase()));
        assertThat(Address.of(MIXED)).hasToString("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    }

    @Test
    void itsBytesAreTheTwentyTheHexSpells() {
        byte[] bytes = Address.of(MIXED).bytes();
        assertThat(bytes).hasSize(20);
        assertThat(bytes[0]).isEqualTo((byte) 0x5f);
        assertThat(Address.of(bytes)).isEqualTo(Address.of(MIXED));
    }

    @Test
    void anythingButZeroXAndFortyHexDigitsIsRefusedSayingWhatAnAddressIs() {
        for (String bad : new String[] {
            "",
            "0x",
            "5fbdb2315678afecb367f032d93f642f64180aa3",
            "0x5fbdb2315678afecb367f032d93f642f64180aa",
            "0x5fbdb2315678afecb367f032d93f642f64180aa30",
            "0x5fbdb2315678afecb367f032d93f642f64180aag",
            "0X5fbdb2315678afecb367f032d93f642f64180aa3",
            " 0x5fbdb2315678afecb367f032d93f642f64180aa3"
        }) {
            assertThat(Address.isAddress(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> Address.of(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not an address (0x and 40 hex digits): '");
        }
        assertThat(Address.isAddress(null)).isFalse();
        assertThatThrownBy(() -> Address.of((String) null)).hasMessageEndingWith(": null");
        assertThatThrownBy(() -> Address.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLongInputIsQuotedOnlyInPart() {
        String huge = "x".repeat(10_000);
        assertThatThrownBy(() -> Address.of(huge)).message().hasSizeLessThan(200);
    }

    @Test
    void theRegexIsTheOneTheTypeChecks() {
        assertThat(MIXED).matches(Address.REGEX);
        assertThat(Address.ZERO.bytes()).containsOnly(0);
    }
}
