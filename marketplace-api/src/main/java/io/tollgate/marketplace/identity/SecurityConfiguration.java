package io.tollgate.marketplace.identity;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.tollgate.marketplace.problem.ProblemProperties;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.protocol.Address;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.ObjectMapper;

/**
 * The API is an OAuth2 resource server: bearer JWTs issued here after Sign-In with Ethereum (HMAC) and, when
 * configured, by an external issuer. The catalogue, the web UI and health are public; the gateway and monitor feeds
 * (upstream URLs, agreed channel terms) need a service credential ({@link ServiceCredentials}) or an operator;
 * everything else needs a token. 401 and 403 answer problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecretKey tokenKey(IdentityProperties properties) {
        byte[] secret;
        if (properties.tokenSecret().value().isEmpty()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            LoggerFactory.getLogger(SecurityConfiguration.class)
                    .warn("tollgate.identity.token-secret is not set: tokens are signed with a random key and end with "
                            + "this process");
        } else {
            secret = properties.tokenSecret().value().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalStateException("tollgate.identity.token-secret must have at least 32 bytes");
            }
        }
        return new SecretKeySpec(secret, "HmacSHA256");
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey tokenKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(tokenKey));
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey tokenKey) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(tokenKey)
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(IdentityProperties.ISSUER));
        return decoder;
    }

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            JwtDecoder ours,
            IdentityProperties properties,
            ServiceCredentials services,
            ProblemProperties problems,
            ObjectMapper json)
            throws Exception {
        Map<String, AuthenticationManager> issuers = new HashMap<>();
        issuers.put(IdentityProperties.ISSUER, manager(ours));
        if (properties.externalIssuer() != null) {
            String external = properties.externalIssuer().toString();
            issuers.put(external, manager(externalDecoder(properties)));
        }
        var jwts = new JwtIssuerAuthenticationManagerResolver(issuers::get);
        // a gateway's or monitor's credential on its own feed; every other bearer token is a JWT
        AuthenticationManagerResolver<jakarta.servlet.http.HttpServletRequest> resolver = request -> authentication ->
                services.authenticate(request, ((BearerTokenAuthenticationToken) authentication).getToken())
                        .orElseGet(() -> jwts.resolve(request).authenticate(authentication));
        return http.csrf(csrf -> csrf.disable()) // bearer tokens only: no cookies to forge
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.requestMatchers(HttpMethod.GET, "/api/listings", "/api/listings/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/config")
                        .permitAll()
                        .requestMatchers(ServiceCredentials.GATEWAY_PATHS)
                        .hasAnyRole("gateway", "operator")
                        .requestMatchers(ServiceCredentials.MONITOR_PATH)
                        .hasAnyRole("monitor", "operator")
                        .requestMatchers("/api/auth/**")
                        .permitAll()
                        .requestMatchers("/api/inspector/**", "/api/graph")
                        .hasRole("operator")
                        .requestMatchers("/api/**")
                        .authenticated()
                        .anyRequest()
                        .permitAll())
                .oauth2ResourceServer(server -> server.authenticationManagerResolver(resolver)
                        .authenticationEntryPoint((request, response, e) -> problem(
                                response,
                                json,
                                problems,
                                ProblemType.UNAUTHENTICATED,
                                "sign in (POST /api/auth/nonce, then /api/auth/sign-in) and send the token as "
                                        + "'Authorization: Bearer …': " + e.getMessage()))
                        .accessDeniedHandler((request, response, e) -> problem(
                                response, json, problems, ProblemType.FORBIDDEN, "your roles do not allow this")))
                .exceptionHandling(ex -> ex.authenticationEntryPoint((request, response, e) -> problem(
                        response,
                        json,
                        problems,
                        ProblemType.UNAUTHENTICATED,
                        "sign in (POST /api/auth/nonce, then /api/auth/sign-in) and send the token as "
                                + "'Authorization: Bearer …'")))
                .build();
    }

    /**
     * The external issuer's tokens: signed by its JWKs (found by OpenID discovery), issued by it, for our audience,
     * naming an address in the configured claim. They are rewritten to our shape before anything reads them: the
     * subject is that address and {@code roles} is what the configured roles claim holds (nothing when none is
     * configured), so no claim the issuer happens to write, {@code roles} or {@code sub}, is taken as is.
     */
    static JwtDecoder externalDecoder(IdentityProperties properties) {
        String issuer = properties.externalIssuer().toString();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
        decoder.setClaimSetConverter(
                new ExternalClaims(properties.externalAddressClaim(), properties.externalRolesClaim()));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer),
                new JwtAudienceValidator(properties.externalAudience()),
                new JwtClaimValidator<String>(
                        JwtClaimNames.SUB, sub -> Address.isAddress(sub) && sub.equals(sub.toLowerCase(Locale.ROOT)))));
        return decoder;
    }

    /** Maps an external token's claims to ours: address from the configured claim, roles only from theirs. */
    static final class ExternalClaims implements Converter<Map<String, Object>, Map<String, Object>> {
        private final MappedJwtClaimSetConverter standard = MappedJwtClaimSetConverter.withDefaults(Map.of());
        private final String addressClaim;
        private final String rolesClaim;

        ExternalClaims(String addressClaim, String rolesClaim) {
            this.addressClaim = addressClaim;
            this.rolesClaim = rolesClaim;
        }

        @Override
        public Map<String, Object> convert(Map<String, Object> claims) {
            Map<String, Object> mapped = new HashMap<>(standard.convert(claims));
            mapped.remove(JwtClaimNames.SUB);
            mapped.remove("roles");
            if (claims.get(addressClaim) instanceof String address && Address.isAddress(address)) {
                mapped.put(JwtClaimNames.SUB, address.toLowerCase(Locale.ROOT));
            }
            List<String> roles = new ArrayList<>();
            if (!rolesClaim.isEmpty()) {
                switch (claims.get(rolesClaim)) {
                    case Collection<?> many ->
                        many.stream()
                                .filter(String.class::isInstance)
                                .map(String.class::cast)
                                .forEach(roles::add);
                    case String one -> roles.add(one);
                    case null, default -> {}
                }
            }
            mapped.put("roles", List.copyOf(roles));
            return mapped;
        }
    }

    private static AuthenticationManager manager(JwtDecoder decoder) {
        var provider = new JwtAuthenticationProvider(decoder);
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            List<String> roles = jwt.getClaimAsStringList("roles");
            Collection<GrantedAuthority> authorities = roles == null
                    ? List.of()
                    : roles.stream()
                            .map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r))
                            .toList();
            return authorities;
        });
        provider.setJwtAuthenticationConverter(converter);
        return provider::authenticate;
    }

    private static void problem(
            HttpServletResponse response,
            ObjectMapper json,
            ProblemProperties problems,
            ProblemType type,
            String detail)
            throws IOException {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(type.status(), detail);
        body.setType(problems.typeOf(type));
        body.setTitle(type.title());
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
