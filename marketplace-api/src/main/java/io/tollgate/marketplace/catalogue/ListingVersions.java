package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.catalogue.ListingView.CategoryView;
import io.tollgate.marketplace.catalogue.ListingView.RouteView;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * The history of each listing: every create or edit records an immutable version (1, 2, 3… per listing)
 * holding the listing's whole content as the database has it right after the change, who changed it and
 * when. The schema refuses updates and deletes of versions.
 */
@Repository
public class ListingVersions {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    ListingVersions(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A listing's content at one version: what a provider writes, prices as decimal wei strings.
     *
     * @param token {@code ether}, or the ERC-20 address
     * @param sla the SLA terms; null when the listing had none (and in versions recorded before terms existed)
     * @param tokenSymbol the ERC-20's symbol as the listing kept it; null for ether and in versions recorded
     *     before listings kept it
     * @param tokenDecimals the ERC-20's decimals, null as {@code tokenSymbol}
     */
    public record Content(
            String name,
            String description,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            @Nullable
            String upstreamUrl,

            String docsUrl,
            String token,
            List<CategoryView> categories,
            List<RouteView> routes,
            @Nullable SlaView sla,
            @Nullable String tokenSymbol,
            @Nullable Integer tokenDecimals) {

        /** This content without the upstream URL, for callers other than the provider and operators. */
        Content withoutUpstream() {
            return new Content(
                    name, description, null, docsUrl, token, categories, routes, sla, tokenSymbol, tokenDecimals);
        }

        /**
         * The content with its amounts also in whole units ({@code price}, {@code collateral}, {@code penalty}),
         * when its unit is known: ether, or a token whose symbol and decimals the version kept.
         */
        Content inUnits() {
            io.tollgate.pricing.TokenUnit unit;
            if ("ether".equals(token)) {
                unit = io.tollgate.pricing.TokenUnit.ETHER;
            } else if (tokenSymbol != null && tokenDecimals != null) {
                unit = new io.tollgate.pricing.TokenUnit(tokenSymbol, tokenDecimals);
            } else {
                return this;
            }
            return new Content(
                    name,
                    description,
                    upstreamUrl,
                    docsUrl,
                    token,
                    categories.stream()
                            .map(c -> new CategoryView(
                                    c.category(),
                                    c.name(),
                                    c.priceWei(),
                                    unit.format(new java.math.BigInteger(c.priceWei()))))
                            .toList(),
                    routes,
                    sla == null ? null : sla.inUnits(unit),
                    tokenSymbol,
                    tokenDecimals);
        }
    }

    /**
     * One version of a listing, as lists show it.
     *
     * @param changedBy the signed-in address that made the change; null when the marketplace itself wrote it
     *     (demo data, the migration that introduced versions)
     */
    public record Summary(int version, @Nullable String changedBy, Instant changedAt) {}

    /** One version of a listing with its content. */
    public record Version(int version, @Nullable String changedBy, Instant changedAt, Content content) {
        Version withoutUpstream() {
            return new Version(version, changedBy, changedAt, content.withoutUpstream());
        }
    }

    /**
     * Records the listing's current content as its next version and returns the version's number. Runs in the
     * caller's transaction, after the change is written, so the version holds exactly what was committed with
     * it. One statement: the listing's counter is incremented under its row lock, so concurrent edits get
     * consecutive numbers.
     *
     * @param changedBy the signed-in address; null for the marketplace itself
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int record(long listingId, @Nullable String changedBy) {
        Integer version = jdbc.queryForObject(
                """
                with next as (update listing set version = version + 1 where id = ? returning id, version)
                insert into listing_version (listing_id, version, content, changed_by, changed_at)
                select id, version, listing_snapshot(id), ?, ? from next
                returning version
                """,
                Integer.class,
                listingId,
                changedBy == null ? null : changedBy.toLowerCase(Locale.ROOT),
                Timestamp.from(clock.instant()));
        if (version == null) {
            throw new IllegalStateException("no version recorded for listing " + listingId);
        }
        return version;
    }

    /** All versions of a listing, newest first, without their content. */
    List<Summary> of(long listingId) {
        return jdbc.query(
                "select version, changed_by, changed_at from listing_version where listing_id = ?"
                        + " order by version desc",
                (rs, i) -> new Summary(
                        rs.getInt("version"),
                        rs.getString("changed_by"),
                        rs.getTimestamp("changed_at").toInstant()),
                listingId);
    }

    /** One version with its content. */
    Optional<Version> one(long listingId, int version) {
        return jdbc
                .query(
                        "select version, changed_by, changed_at, content::text as content from listing_version"
                                + " where listing_id = ? and version = ?",
                        (rs, i) -> new Version(
                                rs.getInt("version"),
                                rs.getString("changed_by"),
                                rs.getTimestamp("changed_at").toInstant(),
                                json.readValue(rs.getString("content"), Content.class)
                                        .inUnits()),
                        listingId,
                        version)
                .stream()
                .findFirst();
    }
}
