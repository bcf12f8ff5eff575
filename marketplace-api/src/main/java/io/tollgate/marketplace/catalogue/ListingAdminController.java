package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.Wei;
import io.tollgate.upstream.UpstreamDecision;
import io.tollgate.upstream.UpstreamPolicy;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Providers write their own listings. The caller is the signed-in address; it must be the payout address of
 * the provider that owns the listing, whatever the token's roles say. Each create and edit records a new
 * version of the listing ({@link ListingVersions}) in the same transaction, authored by the caller.
 */
@RestController
class ListingAdminController {
    private final ListingRepository listings;
    private final ProviderRepository providers;
    private final JdbcTemplate jdbc;
    private final ListingVersions versions;
    private final ListingQueries queries;
    private final ListingSlas slas;
    private final UpstreamPolicy upstreams;
    private final org.springframework.beans.factory.ObjectProvider<NewListingSecret> newSecrets;
    private final ListingTokens tokens;

    ListingAdminController(
            ListingRepository listings,
            ProviderRepository providers,
            JdbcTemplate jdbc,
            ListingVersions versions,
            ListingQueries queries,
            ListingSlas slas,
            UpstreamPolicy upstreams,
            org.springframework.beans.factory.ObjectProvider<NewListingSecret> newSecrets,
            ListingTokens tokens) {
        this.tokens = tokens;
        this.listings = listings;
        this.providers = providers;
        this.jdbc = jdbc;
        this.versions = versions;
        this.queries = queries;
        this.slas = slas;
        this.upstreams = upstreams;
        this.newSecrets = newSecrets;
    }

    record ProviderCommand(
            @jakarta.validation.constraints.NotBlank
            @jakarta.validation.constraints.Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}")
            String slug,

            @jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(max = 200)
            String name) {}

    /** Registers the caller as a provider, paid to its own address. */
    @PostMapping("/api/providers")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    Map<String, String> register(@Valid @RequestBody ProviderCommand command, @AuthenticationPrincipal Jwt caller) {
        String address = caller.getSubject();
        if (providers.existsByPayoutAddress(address)) {
            throw new ApiProblem(ProblemType.CONFLICT, address + " is already a provider", Map.of());
        }
        if (providers.findBySlug(command.slug()).isPresent()) {
            throw new ApiProblem(ProblemType.CONFLICT, "the provider name '" + command.slug() + "' is taken", Map.of());
        }
        providers.save(new Provider(command.slug(), command.name(), address));
        return Map.of("provider", command.slug(), "payoutAddress", address);
    }

    @PostMapping("/api/listings")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    ListingView create(@Valid @RequestBody ListingCommand written, @AuthenticationPrincipal Jwt caller) {
        Provider provider = providerOf(caller);
        checkUpstream(written);
        if (listings.findBySlug(written.slug()).isPresent()) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "a listing '" + written.slug() + "' exists",
                    Map.of("listing", written.slug()));
        }
        TokenView token = written.tokenAddress().map(tokens::read).orElse(TokenView.ETHER);
        ListingCommand command = ListingAmounts.inBaseUnits(written, token.unit());
        var listing = listings.saveAndFlush(new Listing(
                command.slug(),
                provider,
                command.name(),
                command.description(),
                command.upstreamUrl(),
                command.docsUrl(),
                IntStream.range(0, command.categories().size())
                        .mapToObj(i -> new Listing.Category(
                                i,
                                command.categories().get(i).name(),
                                Wei.parse(command.categories().get(i).priceWei())))
                        .toList(),
                command.routes().stream()
                        .map(r -> new Listing.Route(r.method(), r.path(), r.category()))
                        .toList()));
        newSecrets.ifAvailable(chooser -> chooser.secretFor(command.upstreamUrl())
                .ifPresent(secret ->
                        jdbc.update("update listing set upstream_secret = ? where id = ?", secret, listing.id())));
        setToken(listing.id(), token);
        slas.replace(listing.id(), command.sla());
        versions.record(listing.id(), caller.getSubject());
        return queries.bySlug(listing.slug()).orElseThrow();
    }

    /**
     * Replaces a listing the caller owns: its text, upstream, price categories, routes and SLA terms. Channels
     * created before keep the terms they were created with.
     */
    @PutMapping("/api/listings/{slug}")
    @Transactional
    ListingView replace(
            @PathVariable String slug,
            @Valid @RequestBody ListingCommand written,
            @AuthenticationPrincipal Jwt caller) {
        Listing listing = listings.findBySlug(slug)
                .orElseThrow(() ->
                        new ApiProblem(ProblemType.NOT_FOUND, "no listing '" + slug + "'", Map.of("listing", slug)));
        if (!listing.provider().payoutAddress().equalsIgnoreCase(caller.getSubject())) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    "listing '" + slug + "' belongs to provider '"
                            + listing.provider().slug() + "', not to " + caller.getSubject(),
                    Map.of("listing", slug));
        }
        if (!slug.equals(written.slug())) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST, "a listing's slug cannot change", Map.of("listing", slug));
        }
        checkUpstream(written);
        long id = listing.id();
        String before = listing.tokenAddress();
        String after = written.tokenAddress().orElse(null);
        TokenView token;
        if (java.util.Objects.equals(before, after)
                && (before == null || !listing.unit().equals(io.tollgate.pricing.TokenUnit.ETHER))) {
            // the same token: its symbol and decimals as read when it was set
            token = TokenView.of(before, listing.unit().symbol(), listing.unit().decimals());
        } else {
            refuseTokenChangeWithNegotiations(id, slug, before, after);
            token = after == null ? TokenView.ETHER : tokens.read(after);
        }
        ListingCommand command = ListingAmounts.inBaseUnits(written, token.unit());
        setToken(id, token);
        jdbc.update(
                "update listing set name = ?, description = ?, upstream_url = ?, docs_url = ? where id = ?",
                command.name(),
                command.description(),
                command.upstreamUrl(),
                command.docsUrl(),
                id);
        jdbc.update("delete from listing_route where listing_id = ?", id);
        jdbc.update("delete from listing_category where listing_id = ?", id);
        for (int i = 0; i < command.categories().size(); i++) {
            var category = command.categories().get(i);
            jdbc.update(
                    "insert into listing_category (listing_id, category, name, price_wei) values (?, ?, ?, ?)",
                    id,
                    i,
                    category.name(),
                    new java.math.BigDecimal(category.priceWei()));
        }
        for (int i = 0; i < command.routes().size(); i++) {
            var route = command.routes().get(i);
            jdbc.update(
                    "insert into listing_route (listing_id, position, method, path_pattern, category) values (?, ?, ?, ?, ?)",
                    id,
                    i,
                    route.method(),
                    route.path(),
                    route.category());
        }
        slas.replace(id, command.sla());
        versions.record(id, caller.getSubject());
        return queries.bySlug(slug).orElseThrow();
    }

    /** Stores the listing's token: null columns for ether. */
    private void setToken(long id, TokenView token) {
        jdbc.update(
                "update listing set token_address = ?, token_symbol = ?, token_decimals = ? where id = ?",
                token.isEther() ? null : token.address(),
                token.isEther() ? null : token.symbol(),
                token.isEther() ? null : token.decimals(),
                id);
    }

    /**
     * A listing's amounts and its channels are in its token: once a consumer has negotiated (offers, accepted
     * prices, channels funded in the token), changing the token would change what those numbers mean. Refused
     * with a conflict naming how many there are; a new listing can be priced in the other token.
     */
    private void refuseTokenChangeWithNegotiations(long id, String slug, String before, String after) {
        Long negotiations =
                jdbc.queryForObject("select count(*) from negotiation where listing_id = ?", Long.class, id);
        if (negotiations != null && negotiations > 0) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "listing '" + slug + "' is priced in " + (before == null ? "ether" : before) + " and has "
                            + negotiations + " negotiation(s) and their channels in it: its token cannot change to "
                            + (after == null ? "ether" : after) + "; create a new listing priced in that token",
                    Map.of("listing", slug, "errors", Map.of("token", "cannot change once consumers negotiated")));
        }
    }

    /**
     * Refuses an upstream the policy refuses (loopback, private, metadata addresses, other schemes, user info...):
     * a field error on {@code upstreamUrl} naming the rule and the setting an operator would use to allow it.
     */
    private void checkUpstream(ListingCommand command) {
        if (upstreams.checkUrl(command.upstreamUrl()) instanceof UpstreamDecision.Refused refused) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "fix the fields named in 'errors'",
                    Map.of(
                            "errors",
                            Map.of("upstreamUrl", refused.detail()),
                            "rule",
                            refused.rule()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', '-')));
        }
    }

    private Provider providerOf(Jwt caller) {
        return providers
                .findByPayoutAddress(caller.getSubject())
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.FORBIDDEN,
                        caller.getSubject() + " is not a provider: register first (POST /api/providers)",
                        Map.of()));
    }
}
