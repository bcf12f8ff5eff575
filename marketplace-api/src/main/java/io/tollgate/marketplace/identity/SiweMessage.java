package io.tollgate.marketplace.identity;

import io.tollgate.protocol.Address;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;

/**
 * An EIP-4361 (Sign-In with Ethereum) message, parsed strictly by the EIP's ABNF: every line in its place, each field
 * once and in the EIP's order, nothing unknown, LF line ends, no trailing line. A text two parsers could read
 * differently (a second {@code URI:}, a field out of order, a {@code Chain ID} after the resources) is not a message.
 * What it means (domain, URI, chain, nonce, times) is checked by {@link SignIn}.
 *
 * @param scheme the scheme written before the domain, if any
 * @param domain the RFC 3986 authority asking for the sign-in (must be the marketplace's)
 * @param address the signing account, lower case (the text holds it in EIP-55 form)
 * @param statement the one-line statement the user reads, if any
 */
public record SiweMessage(
        Optional<String> scheme,
        String domain,
        String address,
        Optional<String> statement,
        String uri,
        long chainId,
        String nonce,
        Instant issuedAt,
        Optional<Instant> expirationTime,
        Optional<Instant> notBefore,
        Optional<String> requestId,
        List<String> resources) {

    public static final int MAX_LENGTH = 4096;
    private static final String HEADER = " wants you to sign in with your Ethereum account:";
    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*");
    // RFC 3986 authority: [userinfo@]host[:port], with an IP literal in brackets allowed as host
    private static final Pattern AUTHORITY =
            Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=:%-]*@)?(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~!$&'()*+,;=%-]+)"
                    + "(?::[0-9]{1,5})?");
    private static final Pattern ADDRESS = Pattern.compile(Address.REGEX);
    private static final Pattern STATEMENT = Pattern.compile("[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=% ]+");
    private static final Pattern URI =
            Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*");
    private static final Pattern VERSION = Pattern.compile("1");
    private static final Pattern CHAIN_ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9]{8,}");
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:[Zz]|[+-]\\d{2}:\\d{2})");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9\\-._~:@!$&'()*+,;=%]*");

    /** The outcome of parsing: a message, or why the text is not one. */
    public sealed interface Parsed {
        record Message(SiweMessage message) implements Parsed {}

        record Malformed(String reason) implements Parsed {}
    }

    public static Parsed parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return new Parsed.Malformed("a sign-in message of at most " + MAX_LENGTH + " characters is required");
        }
        if (text.indexOf('\r') >= 0) {
            return new Parsed.Malformed("EIP-4361 lines end with LF only: the message holds a CR");
        }
        try {
            return new Parsed.Message(new Reader(text.split("\n", -1)).message());
        } catch (NotAMessage e) {
            return new Parsed.Malformed(e.getMessage());
        }
    }

    /** Why a text is not an EIP-4361 message; stays inside {@link #parse}. */
    private static final class NotAMessage extends Exception {
        NotAMessage(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads the lines front to back: each call takes the line the ABNF puts next, or says what was expected. */
    private static final class Reader {
        private final String[] lines;
        private int next;

        Reader(String[] lines) {
            this.lines = lines;
        }

        SiweMessage message() throws NotAMessage {
            String first = line("'<domain>" + HEADER + "'");
            if (!first.endsWith(HEADER)) {
                throw new NotAMessage("the first line must be '<domain>" + HEADER + "'");
            }
            String origin = first.substring(0, first.length() - HEADER.length());
            Optional<String> scheme = Optional.empty();
            int separator = origin.indexOf("://");
            if (separator >= 0) {
                scheme = Optional.of(origin.substring(0, separator));
                origin = origin.substring(separator + 3);
                if (!SCHEME.matcher(scheme.get()).matches()) {
                    throw new NotAMessage(
                            "the first line names the scheme '" + scheme.get() + "', not an RFC 3986 one");
                }
            }
            if (!AUTHORITY.matcher(origin).matches()) {
                throw new NotAMessage("the first line names the domain '" + origin + "', not an RFC 3986 authority");
            }
            String address = line("the 0x-address signing in");
            if (!ADDRESS.matcher(address).matches()) {
                throw new NotAMessage("the second line must be the 0x-address signing in");
            }
            if (!Keys.toChecksumAddress(address).equals(address)) {
                throw new NotAMessage(
                        "the address must be written with its EIP-55 checksum: " + Keys.toChecksumAddress(address));
            }
            blank("the address");
            Optional<String> statement = Optional.empty();
            String candidate = line("'URI: …' or a statement");
            if (!candidate.isEmpty()) {
                if (!STATEMENT.matcher(candidate).matches()) {
                    throw new NotAMessage("the statement holds characters EIP-4361 does not allow");
                }
                statement = Optional.of(candidate);
                blank("the statement");
            }
            String uri = field("URI", URI, "an RFC 3986 URI");
            field("Version", VERSION, "1 (the only version of EIP-4361)");
            long chainId = Long.parseLong(field("Chain ID", CHAIN_ID, "an EIP-155 chain id"));
            String nonce = field("Nonce", NONCE, "at least 8 letters and digits");
            Instant issuedAt = time(field("Issued At", DATE_TIME, "an RFC 3339 date-time"), "Issued At");
            Optional<Instant> expirationTime = optionalTime("Expiration Time");
            Optional<Instant> notBefore = optionalTime("Not Before");
            Optional<String> requestId = optional("Request ID", REQUEST_ID, "URI path characters");
            List<String> resources = new ArrayList<>();
            if (next < lines.length && lines[next].equals("Resources:")) {
                next++;
                while (next < lines.length && lines[next].startsWith("- ")) {
                    String resource = lines[next++].substring(2);
                    if (!URI.matcher(resource).matches()) {
                        throw new NotAMessage("the resource '" + resource + "' is not an RFC 3986 URI");
                    }
                    resources.add(resource);
                }
            }
            if (next < lines.length) {
                throw new NotAMessage("line " + (next + 1) + " ('" + shortened(lines[next]) + "') has no place here: "
                        + "after 'Issued At' only 'Expiration Time', 'Not Before', 'Request ID' and 'Resources' may "
                        + "follow, once each and in that order, and nothing after them");
            }
            return new SiweMessage(
                    scheme,
                    origin,
                    address.toLowerCase(Locale.ROOT),
                    statement,
                    uri,
                    chainId,
                    nonce,
                    issuedAt,
                    expirationTime,
                    notBefore,
                    requestId,
                    List.copyOf(resources));
        }

        private String line(String expected) throws NotAMessage {
            if (next >= lines.length) {
                throw new NotAMessage("the message ends where " + expected + " was expected");
            }
            return lines[next++];
        }

        private void blank(String after) throws NotAMessage {
            if (!line("an empty line after " + after).isEmpty()) {
                throw new NotAMessage("an empty line must follow " + after + " (line " + next + ")");
            }
        }

        private String field(String name, Pattern form, String formName) throws NotAMessage {
            String line = line("'" + name + ": …'");
            String prefix = name + ": ";
            if (!line.startsWith(prefix)) {
                throw new NotAMessage("line " + next + " must be '" + name + ": …' (each field once, in the order of "
                        + "EIP-4361), not '" + shortened(line) + "'");
            }
            return value(name, line.substring(prefix.length()), form, formName);
        }

        private Optional<String> optional(String name, Pattern form, String formName) throws NotAMessage {
            String prefix = name + ": ";
            if (next >= lines.length || !lines[next].startsWith(prefix)) {
                return Optional.empty();
            }
            return Optional.of(value(name, lines[next++].substring(prefix.length()), form, formName));
        }

        private static String value(String name, String value, Pattern form, String formName) throws NotAMessage {
            if (!form.matcher(value).matches()) {
                throw new NotAMessage("'" + name + "' must be " + formName + ", not '" + shortened(value) + "'");
            }
            return value;
        }

        private Optional<Instant> optionalTime(String name) throws NotAMessage {
            Optional<String> value = optional(name, DATE_TIME, "an RFC 3339 date-time");
            return value.isEmpty() ? Optional.empty() : Optional.of(time(value.get(), name));
        }

        private static Instant time(String value, String name) throws NotAMessage {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new NotAMessage("'" + name + "' is not a date-time: " + shortened(value));
            }
        }

        private static String shortened(String text) {
            return text.length() > 60 ? text.substring(0, 60) + "…" : text;
        }
    }
}
