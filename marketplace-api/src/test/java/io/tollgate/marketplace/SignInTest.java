package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** Sign-In with Ethereum end to end: nonce, signed EIP-4361 message, token, and every refusal. */
class SignInTest extends MarketplaceTestBase {
    /** anvil's public test accounts: 5 is a plain consumer, 2 is the demo provider acme-weather's payout. */
    static final Credentials CONSUMER =
            Credentials.create("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

    static final Credentials PROVIDER =
            Credentials.create("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    @Autowired
    JwtEncoder encoder;

    String nonce() throws Exception {
        return JsonPath.read(send("POST", "/api/auth/nonce", "").body(), "$.nonce");
    }

    String message(String domain, Credentials who, String nonce, Instant expires) {
        return message(domain, "https://" + domain + "/", 31337, who, nonce, expires);
    }

    static String message(String domain, String uri, long chainId, Credentials who, String nonce, Instant expires) {
        return domain + " wants you to sign in with your Ethereum account:\n"
                + Keys.toChecksumAddress(who.getAddress()) + "\n\n"
                + "Sign in to Tollgate.\n\n"
                + "URI: " + uri + "\n"
                + "Version: 1\n"
                + "Chain ID: " + chainId + "\n"
                + "Nonce: " + nonce + "\n"
                + "Issued At: " + Instant.now().minusSeconds(5) + "\n"
                + "Expiration Time: " + expires;
    }

    static String sign(String message, Credentials who) {
        Sign.SignatureData s = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), who.getEcKeyPair());
        byte[] bytes = new byte[65];
        System.arraycopy(s.getR(), 0, bytes, 0, 32);
        System.arraycopy(s.getS(), 0, bytes, 32, 32);
        bytes[64] = s.getV()[0];
        return Numeric.toHexString(bytes);
    }

    HttpResponse<String> signIn(String message, String signature) throws Exception {
        String body = "{\"message\":" + quote(message) + ",\"signature\":\"" + signature + "\"}";
        return send("POST", "/api/auth/sign-in", body);
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    String domain() {
        return DOMAIN;
    }

    /**
     * A sign-in sent as a phishing page's backend would: by hand, with the Host header it likes (the JDK's client
     * does not let a caller set Host).
     */
    HttpResponse<String> signInWithHost(String host, String message, String signature) throws Exception {
        byte[] body = ("{\"message\":" + quote(message) + ",\"signature\":\"" + signature + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        try (var socket = new Socket("127.0.0.1", port)) {
            var out = socket.getOutputStream();
            out.write(("POST /api/auth/sign-in HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            String text = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            // the body may come chunked: the JSON is between the first '{' and the last '}'
            String json = text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1);
            return new RawResponse(status, json);
        }
    }

    record RawResponse(int statusCode, String body) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return java.net.http.HttpClient.Version.HTTP_1_1;
        }
    }

    HttpResponse<String> me(String token) throws Exception {
        var request = HttpRequest.newBuilder(uri("/api/me"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedMessageGivesATokenNamingTheAddressAndItsRoles() throws Exception {
        String message = message(domain(), PROVIDER, nonce(), Instant.now().plusSeconds(300));
        var response = signIn(message, sign(message, PROVIDER));
        assertThat(response.statusCode()).isEqualTo(200);
        String token = JsonPath.read(response.body(), "$.token");

        var me = me(token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(me.body(), "$.address")).isEqualTo(PROVIDER.getAddress());
        List<String> roles = JsonPath.read(me.body(), "$.roles");
        assertThat(roles).containsExactly("consumer", "provider");
    }

    @Test
    void aNonceSignsInOnce() throws Exception {
        String message = message(domain(), CONSUMER, nonce(), Instant.now().plusSeconds(300));
        assertThat(signIn(message, sign(message, CONSUMER)).statusCode()).isEqualTo(200);
        var replay = signIn(message, sign(message, CONSUMER));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((String) JsonPath.read(replay.body(), "$.type")).endsWith("/unauthenticated");
        assertThat((String) JsonPath.read(replay.body(), "$.detail")).contains("already used");
    }

    @Test
    void foreignDomainsExpiredMessagesWrongSignersAndMadeUpNoncesAreRefused() throws Exception {
        String foreign =
                message("evil.example", CONSUMER, nonce(), Instant.now().plusSeconds(300));
        assertThat(JsonPath.<String>read(
                        signIn(foreign, sign(foreign, CONSUMER)).body(), "$.detail"))
                .contains("is for 'evil.example'");

        String expired = message(domain(), CONSUMER, nonce(), Instant.now().minusSeconds(1));
        assertThat(JsonPath.<String>read(
                        signIn(expired, sign(expired, CONSUMER)).body(), "$.detail"))
                .contains("expired");

        String someoneElse = message(domain(), CONSUMER, nonce(), Instant.now().plusSeconds(300));
        assertThat(JsonPath.<String>read(
                        signIn(someoneElse, sign(someoneElse, PROVIDER)).body(), "$.detail"))
                .contains("not by");

        String madeUp =
                message(domain(), CONSUMER, "NotIssuedByUs123", Instant.now().plusSeconds(300));
        var refused = signIn(madeUp, sign(madeUp, CONSUMER));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains("unknown, expired or already used");

        var garbage = signIn("hello", "0x00");
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(garbage.body(), "$.detail")).contains("first line");
    }

    @Test
    void protectedEndpointsNeedAValidTokenOfOurs() throws Exception {
        var none = me(null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((String) JsonPath.read(none.body(), "$.detail")).contains("/api/auth/nonce");

        var expired = encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(),
                        JwtClaimsSet.builder()
                                .issuer("tollgate-marketplace")
                                .subject(CONSUMER.getAddress())
                                .issuedAt(Instant.now().minusSeconds(3600))
                                .expiresAt(Instant.now().minusSeconds(60))
                                .build()))
                .getTokenValue();
        assertThat(me(expired).statusCode()).isEqualTo(401);

        var foreignIssuer = encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(),
                        JwtClaimsSet.builder()
                                .issuer("someone-else")
                                .subject(CONSUMER.getAddress())
                                .expiresAt(Instant.now().plusSeconds(60))
                                .build()))
                .getTokenValue();
        assertThat(me(foreignIssuer).statusCode()).isEqualTo(401);

        // signed with another key: a forged token
        String[] parts = expired.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + "A".repeat(parts[2].length());
        assertThat(me(forged).statusCode()).isEqualTo(401);

        assertThat(get("/api/listings").statusCode()).isEqualTo(200);
    }

    @Test
    void aMessageForThePhishingSiteIsRefusedWhateverHostTheRequestNames() throws Exception {
        // the attacker's page had the user sign a message for evil.example, and relays it with Host: evil.example
        String phished = message(
                "evil.example",
                "https://evil.example/",
                31337,
                CONSUMER,
                nonce(),
                Instant.now().plusSeconds(300));
        var refused = signInWithHost("evil.example", phished, sign(phished, CONSUMER));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail"))
                .contains("is for 'evil.example', this is 'marketplace.test'");

        // the Host the request names does not matter the other way round either
        String ours = message(domain(), CONSUMER, nonce(), Instant.now().plusSeconds(300));
        assertThat(signInWithHost("evil.example", ours, sign(ours, CONSUMER)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aMessageForAnotherChainIsRefused() throws Exception {
        String mainnet = message(
                domain(), SIGN_IN_URI, 1, CONSUMER, nonce(), Instant.now().plusSeconds(300));
        var refused = signIn(mainnet, sign(mainnet, CONSUMER));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail"))
                .contains("for chain 1, this marketplace's chain is 31337");
    }

    @Test
    void aMessageForAnotherUriIsRefused() throws Exception {
        String elsewhere = message(
                domain(),
                "https://evil.example/login",
                31337,
                CONSUMER,
                nonce(),
                Instant.now().plusSeconds(300));
        var refused = signIn(elsewhere, sign(elsewhere, CONSUMER));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail"))
                .contains("URI is 'https://evil.example/login', this marketplace's is 'https://marketplace.test/'");
    }

    @Test
    void aMessageWithAFieldTwiceIsRefused() throws Exception {
        // a lenient parser reads the first Chain ID, a wallet may show the second: neither gets to choose
        String twice = message(domain(), CONSUMER, nonce(), Instant.now().plusSeconds(300)) + "\nChain ID: 1";
        var refused = signIn(twice, sign(twice, CONSUMER));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).contains("has no place here");

        String nonceTwice = message(domain(), CONSUMER, nonce(), Instant.now().plusSeconds(300))
                .replace("\nIssued At: ", "\nNonce: " + nonce() + "\nIssued At: ");
        assertThat(JsonPath.<String>read(
                        signIn(nonceTwice, sign(nonceTwice, CONSUMER)).body(), "$.detail"))
                .contains("must be 'Issued At: …'");
    }

    @Test
    void aNonceCannotBeReplayedWithAnotherMessage() throws Exception {
        String nonce = nonce();
        String first = message(domain(), CONSUMER, nonce, Instant.now().plusSeconds(300));
        assertThat(signIn(first, sign(first, CONSUMER)).statusCode()).isEqualTo(200);
        String second = message(domain(), PROVIDER, nonce, Instant.now().plusSeconds(600));
        var replay = signIn(second, sign(second, PROVIDER));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(replay.body(), "$.detail")).contains("already used");
    }
}
