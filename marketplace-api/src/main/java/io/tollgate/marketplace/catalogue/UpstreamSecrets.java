package io.tollgate.marketplace.catalogue;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Generates listing upstream secrets: 32 random bytes as 64 lower-case hex digits. */
public final class UpstreamSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private UpstreamSecrets() {}

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
