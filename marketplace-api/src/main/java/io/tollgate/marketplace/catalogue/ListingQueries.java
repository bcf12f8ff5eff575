package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.catalogue.ListingView.CategoryView;
import io.tollgate.marketplace.catalogue.ListingView.RouteView;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads listings as the API shows them, in SQL: the catalogue search with its filters, sorts and pages, and
 * one listing by slug. Every filter and sort is served by an index of V8 (trigram indexes for the
 * substring filters where pg_trgm is installed). A page takes four statements: count, page, its categories,
 * its routes.
 */
@Repository
class ListingQueries {
    private static final String COLUMNS = """
            select l.id, l.slug, l.name, p.slug as provider, p.name as provider_name, p.payout_address,
                   l.description, l.upstream_url, l.docs_url, l.token_address, l.version
            """;
    private static final String FROM = " from listing l join provider p on p.id = l.provider_id";

    private final NamedParameterJdbcTemplate jdbc;

    ListingQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of a search and how many listings match in all. */
    record Page(List<ListingView> listings, long total) {}

    Page search(ListingSearch search) {
        var params = new MapSqlParameterSource();
        var where = new StringBuilder(" where true");
        if (!search.text().isEmpty()) {
            params.addValue("text", containing(search.text()));
            // one index scan per column instead of one OR across two tables, which would scan every listing
            where.append(" and l.id in (select id from listing where name ilike :text or description ilike :text"
                    + " union select l2.id from listing l2 join provider p2 on p2.id = l2.provider_id"
                    + " where p2.name ilike :text)");
        }
        search.provider().ifPresent(slug -> {
            params.addValue("provider", slug);
            where.append(" and p.slug = :provider");
        });
        search.category().ifPresent(name -> {
            params.addValue("category", containing(name));
            where.append(" and l.id in (select c.listing_id from listing_category c where c.name ilike :category)");
        });
        search.maxPrice().ifPresent(max -> {
            params.addValue("maxPrice", new BigDecimal(max.value()));
            // min_price_wei is the cheapest category, kept by a trigger: "at least one category <= max"
            where.append(" and l.min_price_wei <= :maxPrice");
        });
        search.token().ifPresent(token -> {
            switch (token) {
                case ListingSearch.TokenFilter.Ether() -> where.append(" and l.token_address is null");
                case ListingSearch.TokenFilter.Erc20(String address) -> {
                    params.addValue("token", address);
                    where.append(" and l.token_address = :token");
                }
            }
        });
        String order = switch (search.sort()) {
            case NAME -> " order by l.name, l.id";
            case NEWEST -> " order by l.created_at desc, l.id desc";
            case PRICE -> " order by l.min_price_wei, l.name, l.id";
        };
        Long total = jdbc.queryForObject("select count(*)" + FROM + where, params, Long.class);
        params.addValue("size", search.size()).addValue("offset", search.offset());
        List<Row> rows = jdbc.query(COLUMNS + FROM + where + order + " limit :size offset :offset", params, ROW);
        return new Page(views(rows), total == null ? 0 : total);
    }

    Optional<Long> idOf(String slug) {
        return jdbc.queryForList("select id from listing where slug = :slug", Map.of("slug", slug), Long.class).stream()
                .findFirst();
    }

    Optional<ListingView> bySlug(String slug) {
        List<Row> rows = jdbc.query(COLUMNS + FROM + " where l.slug = :slug", Map.of("slug", slug), ROW);
        return views(rows).stream().findFirst();
    }

    /** A listing row without its categories and routes. */
    private record Row(
            long id,
            String slug,
            String name,
            String provider,
            String providerName,
            String payoutAddress,
            String description,
            String upstreamUrl,
            String docsUrl,
            String token,
            int version) {}

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(
            rs.getLong("id"),
            rs.getString("slug"),
            rs.getString("name"),
            rs.getString("provider"),
            rs.getString("provider_name"),
            rs.getString("payout_address"),
            rs.getString("description"),
            rs.getString("upstream_url"),
            rs.getString("docs_url"),
            rs.getString("token_address"),
            rs.getInt("version"));

    /** The rows as views, in their order, with the categories and routes of all of them in two statements. */
    private List<ListingView> views(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        var ids = Map.of("ids", rows.stream().map(Row::id).toList());
        Map<Long, List<CategoryView>> categories = new HashMap<>();
        jdbc.query(
                "select listing_id, category, name, price_wei::text as price from listing_category"
                        + " where listing_id in (:ids) order by listing_id, category",
                ids,
                (RowCallbackHandler) rs -> {
                    categories
                            .computeIfAbsent(rs.getLong("listing_id"), k -> new ArrayList<>())
                            .add(new CategoryView(rs.getInt("category"), rs.getString("name"), rs.getString("price")));
                });
        Map<Long, List<RouteView>> routes = new HashMap<>();
        jdbc.query(
                "select listing_id, method, path_pattern, category from listing_route"
                        + " where listing_id in (:ids) order by listing_id, position",
                ids,
                (RowCallbackHandler) rs -> {
                    routes.computeIfAbsent(rs.getLong("listing_id"), k -> new ArrayList<>())
                            .add(new RouteView(
                                    rs.getString("method"), rs.getString("path_pattern"), rs.getInt("category")));
                });
        return rows.stream()
                .map(row -> view(
                        row, categories.getOrDefault(row.id(), List.of()), routes.getOrDefault(row.id(), List.of())))
                .toList();
    }

    private static ListingView view(Row row, List<CategoryView> categories, List<RouteView> routes) {
        return new ListingView(
                row.slug(),
                row.name(),
                row.provider(),
                row.providerName(),
                row.payoutAddress(),
                row.description(),
                row.upstreamUrl(),
                row.docsUrl(),
                row.token() == null ? "ether" : row.token(),
                List.copyOf(categories),
                List.copyOf(routes),
                ListingView.priceTableHash(categories),
                row.version());
    }

    /** An ILIKE pattern matching {@code text} anywhere, its own wildcards taken literally. */
    static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
