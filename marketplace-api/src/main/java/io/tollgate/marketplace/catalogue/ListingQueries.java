package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.catalogue.ListingView.CategoryView;
import io.tollgate.marketplace.catalogue.ListingView.RouteView;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * substring filters where pg_trgm is installed). A page takes three or four statements: the page (with the
 * count when a substring filter is given), the count when it is still unknown, the page's categories and its
 * routes. Measured by {@code bench/search.sh}.
 */
@Repository
class ListingQueries {
    private static final String COLUMNS = """
            select l.id, l.slug, l.name, p.slug as provider, p.name as provider_name, p.payout_address,
                   l.description, l.upstream_url, l.docs_url, l.token_address, l.token_symbol,
                   l.token_decimals, l.version
            """;
    private static final String FROM = " from listing l join provider p on p.id = l.provider_id";

    private final NamedParameterJdbcTemplate jdbc;
    private final ListingSlas slas;

    ListingQueries(NamedParameterJdbcTemplate jdbc, ListingSlas slas) {
        this.jdbc = jdbc;
        this.slas = slas;
    }

    /** One page of a search and how many listings match in all. */
    record Page(List<ListingView> listings, long total) {}

    Page search(ListingSearch search) {
        var params = new MapSqlParameterSource();
        // conditions on the listing alone, so the count needs no join; the provider-name part of the free text
        // is "= any(array(subquery))", computed once, so that the three text conditions combine as one bitmap
        // OR of three indexes (an "in (subquery)" inside an OR is checked row by row over every listing)
        var where = new StringBuilder(" where true");
        if (!search.text().isEmpty()) {
            params.addValue("text", containing(search.text()));
            where.append(" and (l.name ilike :text or l.description ilike :text"
                    + " or l.provider_id = any(array(select id from provider where name ilike :text)))");
        }
        search.provider().ifPresent(slug -> {
            params.addValue("provider", slug);
            where.append(" and l.provider_id = (select id from provider where slug = :provider)");
        });
        search.category().ifPresent(name -> {
            params.addValue("category", containing(name));
            // a semi-join: the planner weighs the category's trigram index against walking the sort's index
            where.append(" and l.id in (select listing_id from listing_category where name ilike :category)");
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
        params.addValue("size", search.size()).addValue("offset", search.offset());
        boolean substringFilter = !search.text().isEmpty() || search.category().isPresent();
        List<Row> rows;
        long total = -1;
        if (substringFilter) {
            // substring conditions cost per row and the count must test every listing anyway: find all
            // matches once (planned as such, the CTE being materialized), count them and sort the page from them
            List<Counted> counted = jdbc.query(
                    "with hits as materialized (select l.id, l.name, l.created_at, l.min_price_wei from listing l"
                            + where + ") " + COLUMNS + ", (select count(*) from hits) as total"
                            + " from (select l.id from hits l" + order + " limit :size offset :offset) page"
                            + " join listing l on l.id = page.id join provider p on p.id = l.provider_id" + order,
                    params,
                    (rs, i) -> new Counted(ROW.mapRow(rs, i), rs.getLong("total")));
            rows = counted.stream().map(Counted::row).toList();
            if (!counted.isEmpty()) {
                total = counted.getFirst().total();
            }
        } else {
            // equality and range conditions: the page walks the sort's index and stops after a page
            rows = jdbc.query(COLUMNS + FROM + where + order + " limit :size offset :offset", params, ROW);
            if (rows.size() < search.size() && (!rows.isEmpty() || search.page() == 0)) {
                // the last page: the total is known without counting
                total = search.offset() + rows.size();
            }
        }
        if (total < 0) {
            Long counted = jdbc.queryForObject("select count(*) from listing l" + where, params, Long.class);
            total = counted == null ? 0 : counted;
        }
        return new Page(views(rows), total);
    }

    Optional<Long> idOf(String slug) {
        return jdbc.queryForList("select id from listing where slug = :slug", Map.of("slug", slug), Long.class).stream()
                .findFirst();
    }

    Optional<ListingView> bySlug(String slug) {
        List<Row> rows = jdbc.query(COLUMNS + FROM + " where l.slug = :slug", Map.of("slug", slug), ROW);
        return views(rows).stream().findFirst();
    }

    /** A row of a page that carries the number of all matches. */
    private record Counted(Row row, long total) {}

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
            TokenView token,
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
            TokenView.of(
                    rs.getString("token_address"),
                    rs.getString("token_symbol"),
                    rs.getObject("token_decimals", Integer.class)),
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
                            .add(new CategoryView(
                                    rs.getInt("category"), rs.getString("name"), rs.getString("price"), null));
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
        Map<Long, SlaView> terms = slas.of(rows.stream().map(Row::id).toList());
        return rows.stream()
                .map(row -> view(
                        row,
                        categories.getOrDefault(row.id(), List.of()),
                        routes.getOrDefault(row.id(), List.of()),
                        terms.get(row.id())))
                .toList();
    }

    private static ListingView view(Row row, List<CategoryView> rawCategories, List<RouteView> routes, SlaView sla) {
        var unit = row.token().unit();
        var categories = rawCategories.stream()
                .map(c -> new CategoryView(
                        c.category(), c.name(), c.priceWei(), unit.format(new BigInteger(c.priceWei()))))
                .toList();
        return new ListingView(
                row.slug(),
                row.name(),
                row.provider(),
                row.providerName(),
                row.payoutAddress(),
                row.description(),
                row.upstreamUrl(),
                row.docsUrl(),
                row.token(),
                categories,
                List.copyOf(routes),
                ListingView.priceTableHash(categories),
                row.version(),
                sla == null ? null : sla.inUnits(unit));
    }

    /** An ILIKE pattern matching {@code text} anywhere, its own wildcards taken literally. */
    static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
