package io.tollgate.protocol;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An Ethereum address: {@code 0x} and 40 hex digits, held lower case (so two spellings of one address are equal;
 * the EIP-55 checksum is not checked). The one place the address pattern is written.
 *
 * @param value {@code 0x} + 40 lower-case hex digits
 */
public record Address(String value) {
    /** The pattern of an address in any case: for bean-validation annotations and regex checks. */
    public static final String REGEX = "0x[0-9a-fA-F]{40}";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    /** The zero address: ether where a token is expected. */
    public static final Address ZERO = new Address("0x0000000000000000000000000000000000000000");

    public Address {
        if (!isAddress(value)) {
            throw new IllegalArgumentException("not an address (0x and 40 hex digits): " + quoted(value));
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /** The address {@code text} spells, in any case. */
    public static Address of(String text) {
        return new Address(text);
    }

    /** The address of 20 bytes. */
    public static Address of(byte[] bytes) {
        if (bytes == null || bytes.length != 20) {
            throw new IllegalArgumentException("an address is 20 bytes");
        }
        return new Address("0x" + HexFormat.of().formatHex(bytes));
    }

    /** Whether {@code text} is {@code 0x} and 40 hex digits (in any case); false for null. */
    public static boolean isAddress(CharSequence text) {
        return text != null && PATTERN.matcher(text).matches();
    }

    /** The 20 bytes of the address. */
    public byte[] bytes() {
        return HexFormat.of().parseHex(value, 2, 42);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        // an answer may quote a client's input: never a whole request body
        return "'" + (value.length() > 64 ? value.substring(0, 64) + "…" : value) + "'";
    }
}
