package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.protocol.Headers;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A listing's upstream secret, which gateways send to the upstream on every forwarded request (header
 * {@code Tollgate-Upstream-Secret}), so that the provider's API can refuse requests that did not pass a gateway. Only
 * the listing's provider and operators read or rotate it (gateways get it with their routes); it is never logged.
 */
@RestController
class UpstreamSecretController {
    private final ListingRepository listings;
    private final JdbcTemplate jdbc;

    UpstreamSecretController(ListingRepository listings, JdbcTemplate jdbc) {
        this.listings = listings;
        this.jdbc = jdbc;
    }

    /**
     * The upstream secret of a listing and the header it comes in.
     *
     * @param header the request header gateways put the secret in
     */
    record UpstreamSecretView(String listing, String upstreamUrl, String header, String upstreamSecret) {}

    @GetMapping("/api/provider/listings/{slug}/upstream-secret")
    @Transactional(readOnly = true)
    UpstreamSecretView read(@PathVariable String slug, @AuthenticationPrincipal Jwt caller) {
        Listing listing = owned(slug, caller);
        return new UpstreamSecretView(slug, listing.upstreamUrl(), HEADER, listing.upstreamSecret());
    }

    /**
     * Replaces the secret by a new random one. Gateways pick it up with their next routes refresh: configure the
     * upstream to accept the old and the new secret until then.
     */
    @PostMapping("/api/provider/listings/{slug}/upstream-secret")
    @Transactional
    UpstreamSecretView rotate(@PathVariable String slug, @AuthenticationPrincipal Jwt caller) {
        Listing listing = owned(slug, caller);
        String secret = UpstreamSecrets.generate();
        jdbc.update("update listing set upstream_secret = ? where id = ?", secret, listing.id());
        return new UpstreamSecretView(slug, listing.upstreamUrl(), HEADER, secret);
    }

    /** The header gateways send the secret in. */
    static final String HEADER = Headers.UPSTREAM_SECRET;

    private Listing owned(String slug, Jwt caller) {
        Listing listing = listings.findBySlug(slug)
                .orElseThrow(() ->
                        new ApiProblem(ProblemType.NOT_FOUND, "no listing '" + slug + "'", Map.of("listing", slug)));
        if (!UpstreamAccess.canSee(caller, listing.provider().payoutAddress())) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    "the upstream secret of listing '" + slug + "' is shown only to its provider ('"
                            + listing.provider().slug() + "') and operators",
                    Map.of("listing", slug));
        }
        return listing;
    }
}
