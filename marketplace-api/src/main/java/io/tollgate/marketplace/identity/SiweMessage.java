package io.tollgate.marketplace.identity;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An EIP-4361 (Sign-In with Ethereum) message: the fields the marketplace checks.
 *
 * @param domain the RFC 3986 authority asking for the sign-in (must be the marketplace's)
 * @param address the signing account, lower case
 */
public record SiweMessage(
        String domain,
        String address,
        String uri,
        long chainId,
        String nonce,
        Instant issuedAt,
        Optional<Instant> expirationTime,
        Optional<Instant> notBefore) {

    private static final String HEADER = " wants you to sign in with your Ethereum account:";
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    /** The outcome of parsing: a message, or why the text is not one. */
    public sealed interface Parsed {
        record Message(SiweMessage message) implements Parsed {}

        record Malformed(String reason) implements Parsed {}
    }

    public static Parsed parse(String text) {
        if (text == null || text.length() > 4096) {
            return new Parsed.Malformed("a sign-in message of at most 4096 characters is required");
        }
        String[] lines = text.split("\n", -1);
        if (lines.length < 7 || !lines[0].endsWith(HEADER)) {
            return new Parsed.Malformed("the first line must be '<domain>" + HEADER + "'");
        }
        String domain = lines[0].substring(0, lines[0].length() - HEADER.length());
        if (!ADDRESS.matcher(lines[1]).matches()) {
            return new Parsed.Malformed("the second line must be the 0x-address signing in");
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 2; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            if (colon > 0 && lines[i].substring(0, colon).matches("[A-Z][A-Za-z ]+")) {
                fields.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 2));
            }
        }
        for (String required : new String[] {"URI", "Version", "Chain ID", "Nonce", "Issued At"}) {
            if (!fields.containsKey(required)) {
                return new Parsed.Malformed("the message lacks '" + required + ": …'");
            }
        }
        if (!"1".equals(fields.get("Version"))) {
            return new Parsed.Malformed("only version 1 of EIP-4361 is supported");
        }
        try {
            return new Parsed.Message(new SiweMessage(
                    domain,
                    lines[1].toLowerCase(Locale.ROOT),
                    fields.get("URI"),
                    Long.parseLong(fields.get("Chain ID")),
                    fields.get("Nonce"),
                    Instant.parse(fields.get("Issued At")),
                    Optional.ofNullable(fields.get("Expiration Time")).map(Instant::parse),
                    Optional.ofNullable(fields.get("Not Before")).map(Instant::parse)));
        } catch (NumberFormatException | DateTimeParseException e) {
            return new Parsed.Malformed("a field has the wrong form: " + e.getMessage());
        }
    }
}
