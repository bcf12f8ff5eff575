package io.tollgate.marketplace.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The opaque bearer credentials of the services that read feeds holding upstream URLs and agreed channel terms:
 * gateways ({@code tollgate.gateways.credential}, role {@code gateway}, {@code /api/gateway/**}) and monitors
 * ({@code tollgate.monitors.credential}, role {@code monitor}, {@code /api/sla/monitoring}). A credential is
 * accepted only on its own paths and compared in constant time; unset, nobody but an operator reads those feeds.
 * Never logged.
 */
@Component
public class ServiceCredentials {
    static final String GATEWAY_PATHS = "/api/gateway/**";
    static final String MONITOR_PATH = "/api/sla/monitoring";
    private static final int MINIMUM_LENGTH = 32;

    private final byte[] gateways;
    private final byte[] monitors;

    ServiceCredentials(ServiceCredentialsProperties properties) {
        this.gateways = checked(
                "tollgate.gateways.credential",
                properties.gateways().credential().value());
        this.monitors = checked(
                "tollgate.monitors.credential",
                properties.monitors().credential().value());
    }

    /** The service the bearer {@code token} authenticates for this request, if it is that service's credential. */
    Optional<Authentication> authenticate(HttpServletRequest request, String token) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        if (path.startsWith("/api/gateway/") && matches(gateways, presented)) {
            return Optional.of(service("gateway"));
        }
        if (path.equals(MONITOR_PATH) && matches(monitors, presented)) {
            return Optional.of(service("monitor"));
        }
        return Optional.empty();
    }

    private static boolean matches(byte[] expected, byte[] presented) {
        return expected.length > 0 && MessageDigest.isEqual(expected, presented);
    }

    private static Authentication service(String role) {
        return UsernamePasswordAuthenticationToken.authenticated(
                role, null, List.of(new SimpleGrantedAuthority("ROLE_" + role)));
    }

    private static byte[] checked(String setting, String value) {
        if (value == null || value.isBlank()) {
            Logger log = LoggerFactory.getLogger(ServiceCredentials.class);
            log.warn("{} is not set: only operators can read that feed", setting);
            return new byte[0];
        }
        if (value.length() < MINIMUM_LENGTH) {
            throw new IllegalStateException(
                    setting + " must have at least " + MINIMUM_LENGTH + " characters (e.g. `openssl rand -hex 32`)");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
