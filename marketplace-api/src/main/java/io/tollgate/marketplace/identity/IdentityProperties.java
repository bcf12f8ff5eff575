package io.tollgate.marketplace.identity;

import io.tollgate.settings.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sign-In with Ethereum and the tokens it issues. The domain and URI that sign-in messages must name are
 * configured, never taken from the request (whose Host header the caller writes): a phishing page's message names
 * the phishing page.
 *
 * @param domain the RFC 3986 authority (host[:port]) users reach the marketplace at, as the browser shows it; sign-in
 *     messages must name it. Required
 * @param uri the URI sign-in messages must name, the marketplace's address (e.g. {@code https://market.example/}).
 *     Required
 * @param tokenSecret HMAC key of the issued JWTs, at least 32 bytes; empty: a random key per start (tokens end
 *     with the process). Set it (environment {@code TOLLGATE_IDENTITY_TOKEN_SECRET}) when running replicas
 * @param tokenTtl how long an issued token is valid
 * @param nonceTtl how long a nonce may wait for its sign-in
 * @param operators addresses that get the operator role
 * @param externalIssuer an OpenID issuer whose tokens are trusted too (its JWKs are fetched); none: only ours
 * @param externalAudience the audience ({@code aud}) the external issuer's tokens must name; required with it
 * @param externalAddressClaim the claim of the external issuer's tokens holding the caller's 0x-address; required with
 *     it (a token without it is refused)
 * @param externalRolesClaim the claim of the external issuer's tokens holding the caller's roles (a list of
 *     strings); none: its tokens carry no roles, whatever claims they hold
 */
@Validated
@ConfigurationProperties("tollgate.identity")
public record IdentityProperties(
        @DefaultValue("") String domain,
        @DefaultValue("") String uri,
        @DefaultValue("") Secret tokenSecret,
        @DefaultValue("15m") Duration tokenTtl,
        @DefaultValue("5m") Duration nonceTtl,
        @DefaultValue List<String> operators,
        URI externalIssuer,
        @DefaultValue("") String externalAudience,
        @DefaultValue("") String externalAddressClaim,
        @DefaultValue("") String externalRolesClaim) {

    public static final String ISSUER = "tollgate-marketplace";

    public IdentityProperties {
        if (domain.isBlank()) {
            throw new IllegalArgumentException("tollgate.identity.domain is required (environment "
                    + "TOLLGATE_IDENTITY_DOMAIN): the host[:port] users open the marketplace at, e.g. "
                    + "market.example.com; sign-in messages must name it. It is never taken from the request's Host "
                    + "header, which the caller writes (scripts/demo.sh sets 127.0.0.1:<port>)");
        }
        if (domain.contains("/") || domain.contains(" ")) {
            throw new IllegalArgumentException("tollgate.identity.domain must be an authority (host[:port]) without "
                    + "scheme or path, not '" + domain + "'");
        }
        if (uri.isBlank()) {
            throw new IllegalArgumentException("tollgate.identity.uri is required (environment "
                    + "TOLLGATE_IDENTITY_URI): the address sign-in messages must name, e.g. "
                    + "https://market.example.com/ (scripts/demo.sh sets http://127.0.0.1:<port>/)");
        }
        URI parsed = URI.create(uri);
        if (parsed.getScheme() == null || !domain.equalsIgnoreCase(parsed.getRawAuthority())) {
            throw new IllegalArgumentException("tollgate.identity.uri (" + uri + ") must be an absolute URI at "
                    + "tollgate.identity.domain (" + domain + ")");
        }
        if (externalIssuer != null) {
            if (externalAudience.isBlank()) {
                throw new IllegalArgumentException("tollgate.identity.external-audience is required with "
                        + "tollgate.identity.external-issuer: the audience its tokens for this marketplace name "
                        + "(tokens it issued for other services are refused)");
            }
            if (externalAddressClaim.isBlank()) {
                throw new IllegalArgumentException("tollgate.identity.external-address-claim is required with "
                        + "tollgate.identity.external-issuer: the claim of its tokens that holds the caller's "
                        + "0x-address");
            }
        }
    }
}
