package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
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
        return domain + " wants you to sign in with your Ethereum account:\n"
                + who.getAddress() + "\n\n"
                + "Sign in to Tollgate.\n\n"
                + "URI: http://" + domain + "/\n"
                + "Version: 1\n"
                + "Chain ID: 31337\n"
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
        return "127.0.0.1:" + port;
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
}
