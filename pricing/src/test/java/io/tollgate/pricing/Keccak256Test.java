package io.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class Keccak256Test {
    @Test
    void matchesPublishedVectors() {
        assertThat(hex(Keccak256.hash(new byte[0])))
                .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        assertThat(hex(Keccak256.hash("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    }

    @Property(tries = 500)
    void agreesWithWeb3jOnAnyInput(@ForAll @Size(max = 700) byte[] input) {
        assertThat(Keccak256.hash(input)).isEqualTo(Hash.sha3(input));
    }

    @Test
    void agreesWithWeb3jAtTheRateBoundaries() {
        for (int length : new int[] {135, 136, 137, 271, 272, 273}) {
            byte[] input = new byte[length];
            java.util.Arrays.fill(input, (byte) 0xa5);
            assertThat(Keccak256.hash(input)).as("length %d", length).isEqualTo(Hash.sha3(input));
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
