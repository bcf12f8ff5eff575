package io.tollgate.settings;

import java.util.Objects;

/**
 * A configured secret (a private key, a password, a credential): its {@code toString} says only whether it is set,
 * so a settings record that holds one can be logged whole. Bound from a string by its constructor; the value is
 * read with {@link #value()} where it is used, nowhere else.
 *
 * @param value the secret itself; empty: not set
 */
public record Secret(String value) {
    /** Not set. */
    public static final Secret NONE = new Secret("");

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /** Whether a (non-blank) value is configured. */
    public boolean isSet() {
        return !value.isBlank();
    }

    @Override
    public String toString() {
        return isSet() ? "(set)" : "none";
    }
}
