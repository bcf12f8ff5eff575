package io.tollgate.marketplace.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser reads EIP-4361's ABNF and nothing looser: one reading per text. */
class SiweMessageTest {
    static final String ADDRESS = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

    static final String FULL = "https://marketplace.test wants you to sign in with your Ethereum account:\n"
            + ADDRESS + "\n\n"
            + "Sign in to Tollgate.\n\n"
            + "URI: https://marketplace.test/\n"
            + "Version: 1\n"
            + "Chain ID: 31337\n"
            + "Nonce: abcdEFGH1234\n"
            + "Issued At: 2026-12-03T10:00:00.000Z\n"
            + "Expiration Time: 2026-12-03T10:05:00Z\n"
            + "Not Before: 2026-12-03T09:59:00+00:00\n"
            + "Request ID: 42\n"
            + "Resources:\n"
            + "- https://marketplace.test/terms\n"
            + "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq";

    /** What viem's createSiweMessage writes without a statement (web-ui's sign-in page). */
    static final String MINIMAL = "marketplace.test wants you to sign in with your Ethereum account:\n"
            + ADDRESS + "\n\n\n"
            + "URI: https://marketplace.test/\n"
            + "Version: 1\n"
            + "Chain ID: 31337\n"
            + "Nonce: abcdEFGH1234\n"
            + "Issued At: 2026-12-03T10:00:00.000Z";

    static SiweMessage parsed(String text) {
        var parsed = SiweMessage.parse(text);
        assertThat(parsed).isInstanceOf(SiweMessage.Parsed.Message.class);
        return ((SiweMessage.Parsed.Message) parsed).message();
    }

    static String refusal(String text) {
        var parsed = SiweMessage.parse(text);
        assertThat(parsed).isInstanceOf(SiweMessage.Parsed.Malformed.class);
        return ((SiweMessage.Parsed.Malformed) parsed).reason();
    }

    @Test
    void readsEveryFieldOfAFullMessage() {
        SiweMessage m = parsed(FULL);
        assertThat(m.scheme()).hasValue("https");
        assertThat(m.domain()).isEqualTo("marketplace.test");
        assertThat(m.address()).isEqualTo(ADDRESS.toLowerCase(java.util.Locale.ROOT));
        assertThat(m.statement()).hasValue("Sign in to Tollgate.");
        assertThat(m.uri()).isEqualTo("https://marketplace.test/");
        assertThat(m.chainId()).isEqualTo(31337);
        assertThat(m.nonce()).isEqualTo("abcdEFGH1234");
        assertThat(m.issuedAt()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
        assertThat(m.expirationTime()).hasValue(Instant.parse("2026-12-03T10:05:00Z"));
        assertThat(m.notBefore()).hasValue(Instant.parse("2026-12-03T09:59:00Z"));
        assertThat(m.requestId()).hasValue("42");
        assertThat(m.resources()).hasSize(2);
    }

    @Test
    void readsTheMinimalMessageViemWrites() {
        SiweMessage m = parsed(MINIMAL);
        assertThat(m.scheme()).isEmpty();
        assertThat(m.statement()).isEmpty();
        assertThat(m.expirationTime()).isEmpty();
        assertThat(m.resources()).isEqualTo(List.of());
        assertThat(m.requestId()).isEqualTo(Optional.empty());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a field twice", "Issued At", "Nonce: abcdEFGH1234\\nIssued At", "must be 'Issued At: …'"),
                Arguments.of(
                        "a field appended again",
                        "Request ID: 42",
                        "Request ID: 42\\nChain ID: 1",
                        "has no place here"),
                Arguments.of(
                        "fields out of order",
                        "Expiration Time: 2026-12-03T10:05:00Z\\nNot Before: 2026-12-03T09:59:00+00:00",
                        "Not Before: 2026-12-03T09:59:00+00:00\\nExpiration Time: 2026-12-03T10:05:00Z",
                        "has no place here"),
                Arguments.of("an unknown line", "Request ID: 42", "Request ID: 42\\nX-Extra: 1", "has no place here"),
                Arguments.of("a missing field", "Version: 1\\n", "", "must be 'Version: …'"),
                Arguments.of("a version 2", "Version: 1", "Version: 2", "'Version' must be 1"),
                Arguments.of("a signed chain id", "Chain ID: 31337", "Chain ID: +31337", "'Chain ID' must be"),
                Arguments.of("a short nonce", "Nonce: abcdEFGH1234", "Nonce: abc", "'Nonce' must be"),
                Arguments.of(
                        "a date that is no date",
                        "Issued At: 2026-12-03T10:00:00.000Z",
                        "Issued At: 2026-13-03T10:00:00Z",
                        "not a date-time"),
                Arguments.of(
                        "a lower-case address",
                        "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
                        "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
                        "EIP-55"),
                Arguments.of(
                        "no blank line after the statement",
                        "Sign in to Tollgate.\\n\\n",
                        "Sign in to Tollgate.\\n",
                        "an empty line must follow the statement"),
                Arguments.of(
                        "a trailing line end",
                        "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq",
                        "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq\\n",
                        "has no place here"),
                Arguments.of("CR LF line ends", "\\n", "\\r\\n", "CR"),
                Arguments.of(
                        "a path in the domain",
                        "https://marketplace.test wants",
                        "https://marketplace.test/x wants",
                        "RFC 3986 authority"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesWhatTheAbnfDoesNot(String what, String from, String to, String reason) {
        String text =
                FULL.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n").replace("\\r", "\r"));
        assertThat(text).as(what).isNotEqualTo(FULL);
        assertThat(refusal(text)).as(what).contains(reason);
    }
}
