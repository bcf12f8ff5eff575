package io.tollgate.marketplace.catalogue;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who may see a listing's upstream URL and secret: its provider (the signed-in payout address) and operators.
 * Gateways get both from {@code /api/gateway/routes}; the public catalogue shows neither.
 */
final class UpstreamAccess {
    private UpstreamAccess() {}

    static boolean canSee(@Nullable Jwt caller, String payoutAddress) {
        if (caller == null) {
            return false;
        }
        if (payoutAddress.equalsIgnoreCase(caller.getSubject())) {
            return true;
        }
        List<String> roles = caller.getClaimAsStringList("roles");
        return roles != null && roles.contains("operator");
    }
}
