package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An external OpenID issuer trusted next to Sign-In with Ethereum: a small HTTP server in the test plays it (OpenID
 * discovery and a real JWKS with an RSA key), since an identity provider is outside what we run. Its tokens count
 * only for our audience, name the caller's address in the configured claim and carry roles only from the configured
 * claim. The attacker holds tokens the issuer gave them for another service, or writes claims of their own choosing.
 */
class ExternalIssuerTest extends MarketplaceTestBase {
    static final String AUDIENCE = "https://marketplace.test";
    static final String ADDRESS = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
    static final RSAKey KEY = rsaKey();
    static final HttpServer ISSUER = issuer();

    static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-issuer-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String issuerUrl() {
        return "http://127.0.0.1:" + ISSUER.getAddress().getPort() + "/realm";
    }

    static HttpServer issuer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/realm/.well-known/openid-configuration", exchange -> {
                String issuer = issuerUrl();
                answer(
                        exchange,
                        "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\","
                                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"subject_types_supported\":[\"public\"],"
                                + "\"response_types_supported\":[\"code\"],\"authorization_endpoint\":\"" + issuer
                                + "/auth\"}");
            });
            server.createContext("/realm/jwks", exchange -> answer(exchange, new JWKSet(KEY.toPublicJWK()).toString()));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @DynamicPropertySource
    static void externalIssuer(DynamicPropertyRegistry registry) {
        registry.add("tollgate.identity.external-issuer", ExternalIssuerTest::issuerUrl);
        registry.add("tollgate.identity.external-audience", () -> AUDIENCE);
        registry.add("tollgate.identity.external-address-claim", () -> "wallet");
        registry.add("tollgate.identity.external-roles-claim", () -> "tollgate_roles");
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.stop(0);
    }

    static String token(Consumer<JWTClaimsSet.Builder> claims) throws JOSEException {
        var builder = new JWTClaimsSet.Builder()
                .issuer(issuerUrl())
                .subject("user-4711")
                .issueTime(Date.from(Instant.now().minusSeconds(5)))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        claims.accept(builder);
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), builder.build());
        jwt.sign(new RSASSASigner(KEY));
        return jwt.serialize();
    }

    HttpResponse<String> as(String path, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenForUsNamesTheAddressOfTheConfiguredClaimAndTheRolesOfTheConfiguredClaim() throws Exception {
        String token = token(c -> c.audience(AUDIENCE)
                .claim("wallet", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc")
                .claim("tollgate_roles", List.of("consumer", "operator")));
        var me = as("/api/me", token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(me.body(), "$.address")).isEqualTo(ADDRESS);
        assertThat(JsonPath.<List<String>>read(me.body(), "$.roles")).containsExactly("consumer", "operator");
        assertThat(as("/api/graph", token).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutOurAudienceIsRefused() throws Exception {
        String none = token(c -> c.claim("wallet", ADDRESS));
        var refused = as("/api/me", none);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        String forAnotherService = token(c -> c.audience("https://wiki.example").claim("wallet", ADDRESS));
        assertThat(as("/api/me", forAnotherService).statusCode()).isEqualTo(401);
    }

    @Test
    void rolesFromAClaimNotConfiguredAreIgnored() throws Exception {
        String token = token(c -> c.audience(AUDIENCE).claim("wallet", ADDRESS).claim("roles", List.of("operator")));
        var me = as("/api/me", token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(me.body(), "$.roles")).isEmpty();
        assertThat(as("/api/graph", token).statusCode()).isEqualTo(403);
    }

    @Test
    void theAddressComesOnlyFromTheConfiguredClaim() throws Exception {
        // a subject that looks like an address is not one: the issuer's subjects are its own user ids
        String token = token(c -> c.audience(AUDIENCE).subject(ADDRESS));
        assertThat(as("/api/me", token).statusCode()).isEqualTo(401);
        String notAnAddress = token(c -> c.audience(AUDIENCE).claim("wallet", "alice"));
        assertThat(as("/api/me", notAnAddress).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID(KEY.getKeyID()).generate();
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuerUrl())
                        .audience(AUDIENCE)
                        .claim("wallet", ADDRESS)
                        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                        .build());
        jwt.sign(new RSASSASigner(other));
        assertThat(as("/api/me", jwt.serialize()).statusCode()).isEqualTo(401);
    }
}
