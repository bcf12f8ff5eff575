package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The public catalogue: listings with their prices, searchable, and the history of each. */
@RestController
@RequestMapping("/api/listings")
class CatalogueController {
    /** The number of listings matching a search, all pages together. */
    static final String TOTAL_COUNT = "X-Total-Count";

    private final ListingQueries queries;
    private final ListingVersions versions;

    CatalogueController(ListingQueries queries, ListingVersions versions) {
        this.queries = queries;
        this.versions = versions;
    }

    /**
     * One page of the listings matching every filter given; the body is the page, {@code X-Total-Count} the
     * number of matches in all. Wrong parameters get one 400 problem naming each ({@code errors}).
     *
     * @param q a case-insensitive substring of the name, description or provider name (at most 100 characters)
     * @param provider a provider's slug
     * @param category a case-insensitive substring of a category name
     * @param maxPriceWei decimal wei (at most 2^256-1): listings with at least one category priced at most this
     * @param token {@code eth} for listings funded in ether, or an ERC-20 address
     * @param sort {@code name} (default), {@code newest}, or {@code price} (cheapest category first)
     * @param page 0-based page (default 0)
     * @param size listings per page, 1 to 100 (default 20)
     */
    @GetMapping
    @Transactional(readOnly = true)
    ResponseEntity<List<ListingView>> search(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String provider,
            @RequestParam(required = false) String category,
            @RequestParam(required = false) String maxPriceWei,
            @RequestParam(required = false) String token,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String page,
            @RequestParam(required = false) String size,
            @AuthenticationPrincipal Jwt caller) {
        var search = ListingSearch.parse(q, provider, category, maxPriceWei, token, sort, page, size);
        var result = queries.search(search);
        return ResponseEntity.ok()
                .header(TOTAL_COUNT, Long.toString(result.total()))
                .body(result.listings().stream().map(l -> l.shownTo(caller)).toList());
    }

    @GetMapping("/{slug}")
    @Transactional(readOnly = true)
    ListingView one(@PathVariable String slug, @AuthenticationPrincipal Jwt caller) {
        return queries.bySlug(slug).orElseThrow(() -> noListing(slug)).shownTo(caller);
    }

    /** The versions of a listing, newest first, without their content. */
    @GetMapping("/{slug}/versions")
    @Transactional(readOnly = true)
    List<ListingVersions.Summary> versions(@PathVariable String slug) {
        return versions.of(idOf(slug));
    }

    /** One version of a listing with its whole content. */
    @GetMapping("/{slug}/versions/{version}")
    @Transactional(readOnly = true)
    ListingVersions.Version version(
            @PathVariable String slug, @PathVariable int version, @AuthenticationPrincipal Jwt caller) {
        long id = idOf(slug);
        String payout = queries.bySlug(slug).map(ListingView::payoutAddress).orElse("");
        return versions.one(id, version)
                .map(v -> UpstreamAccess.canSee(caller, payout) ? v : v.withoutUpstream())
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND,
                        "listing '" + slug + "' has no version " + version + ": GET /api/listings/" + slug
                                + "/versions lists them",
                        Map.of("listing", slug, "version", version)));
    }

    private long idOf(String slug) {
        return queries.idOf(slug).orElseThrow(() -> noListing(slug));
    }

    private static ApiProblem noListing(String slug) {
        return new ApiProblem(
                ProblemType.NOT_FOUND,
                "no listing '" + slug + "': GET /api/listings lists them",
                Map.of("listing", slug));
    }
}
