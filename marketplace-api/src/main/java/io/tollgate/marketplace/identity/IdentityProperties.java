package io.tollgate.marketplace.identity;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-In with Ethereum and the tokens it issues.
 *
 * @param domain the authority sign-in messages must name; empty: the Host the request came to
 * @param tokenSecret HMAC key of the issued JWTs, at least 32 bytes; empty: a random key per start (tokens end
 *     with the process). Set it (environment {@code TOLLGATE_IDENTITY_TOKEN_SECRET}) when running replicas
 * @param tokenTtl how long an issued token is valid
 * @param nonceTtl how long a nonce may wait for its sign-in
 * @param operators addresses that get the operator role
 * @param externalIssuer an OpenID issuer whose tokens are trusted too (its JWKs are fetched); none: only ours
 */
@ConfigurationProperties("tollgate.identity")
public record IdentityProperties(
        @DefaultValue("") String domain,
        @DefaultValue("") String tokenSecret,
        @DefaultValue("15m") Duration tokenTtl,
        @DefaultValue("5m") Duration nonceTtl,
        @DefaultValue List<String> operators,
        URI externalIssuer) {

    public static final String ISSUER = "tollgate-marketplace";

    @Override
    public String toString() {
        return "IdentityProperties[domain=" + domain + ", tokenSecret=" + (tokenSecret.isEmpty() ? "random" : "(set)")
                + ", tokenTtl=" + tokenTtl + ", operators=" + operators + ", externalIssuer=" + externalIssuer + "]";
    }
}
