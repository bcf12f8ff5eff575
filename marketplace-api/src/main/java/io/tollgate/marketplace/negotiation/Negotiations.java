package io.tollgate.marketplace.negotiation;

import io.tollgate.marketplace.catalogue.TokenView;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.QuoteCalculator;
import io.tollgate.pricing.QuoteOutcome;
import io.tollgate.pricing.QuoteRequest;
import io.tollgate.pricing.VolumeRule;
import io.tollgate.pricing.Wei;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Quote requests, offers and their answers, with the listing's automatic rules. */
@Service
public class Negotiations {
    static final Duration OFFER_TTL = Duration.ofHours(1);

    /** The states an offer can expire from, as stored (bound into the queries that expire them). */
    private static final List<String> OPEN = Arrays.stream(NegotiationState.values())
            .filter(NegotiationState::open)
            .map(NegotiationState::name)
            .toList();

    private final JdbcClient jdbc;
    private final Clock clock;

    Negotiations(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A negotiation as the API shows it; amounts as decimal strings of base units of the listing's token.
     *
     * @param token what the amounts count: the listing's token (address, symbol, decimals; ether: the zero
     *     address, ETH, 18)
     */
    public record View(
            long id,
            String listing,
            String consumer,
            NegotiationState state,
            String depositWei,
            long expectedRequests,
            List<String> pricesWei,
            String priceTableHash,
            Instant expiresAt,
            TokenView token) {}

    private record Row(
            long id,
            long listingId,
            String listing,
            String provider,
            String consumer,
            NegotiationState state,
            Wei deposit,
            long expectedRequests,
            PriceTable prices,
            Instant expiresAt,
            TokenView token) {
        View view() {
            return new View(
                    id,
                    listing,
                    consumer,
                    state,
                    deposit.toString(),
                    expectedRequests,
                    prices.decimals(),
                    prices.hashHex(),
                    expiresAt,
                    token);
        }
    }

    /** A listing's row as {@link #terms} reads it. */
    private record ListingRow(long id, String provider, boolean auto, String minimumDeposit, TokenView token) {}

    /** A category's list price and floor. */
    private record Category(Wei price, Wei floor) {}

    private record Terms(
            long id,
            String provider,
            PriceTable list,
            PriceTable floor,
            VolumeRule rule,
            Wei minimum,
            boolean auto,
            TokenView token) {
        io.tollgate.pricing.TokenUnit unit() {
            return token.unit();
        }
    }

    /** A consumer asks {@code listing} for a quote; automatic rules answer with an offer at once. */
    @Transactional
    public View request(String listing, String consumer, Wei deposit, long expectedRequests, List<Wei> proposal) {
        Terms terms = terms(listing);
        PriceTable prices;
        NegotiationState state;
        if (terms.auto()) {
            var outcome = new QuoteCalculator(terms.list(), terms.floor(), terms.rule(), terms.minimum())
                    .quote(new QuoteRequest(deposit, expectedRequests));
            switch (outcome) {
                case QuoteOutcome.Quoted quoted -> {
                    prices = quoted.prices();
                    state = NegotiationState.OFFERED;
                }
                case QuoteOutcome.DepositTooSmall small ->
                    throw new ApiProblem(
                            ProblemType.INVALID_REQUEST,
                            "the listing asks a deposit of at least " + small.minimumDeposit() + " base units ("
                                    + terms.unit()
                                            .describe(small.minimumDeposit().value()) + ")",
                            Map.of("minimumDepositWei", small.minimumDeposit().toString()));
                case QuoteOutcome.CategoriesMismatch mismatch ->
                    throw new IllegalStateException("listing " + listing + " has inconsistent floors: " + mismatch);
            }
        } else {
            prices = proposal.isEmpty() ? terms.list() : new PriceTable(proposal);
            state = NegotiationState.REQUESTED;
        }
        if (prices.categories() != terms.list().categories()) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "propose one price per category: the listing has "
                            + terms.list().categories(),
                    Map.of());
        }
        Instant expires = clock.instant().plus(OFFER_TTL);
        long id = jdbc.sql("""
                        insert into negotiation (listing_id, consumer_address, state, deposit_wei, expected_requests,
                                                 prices_wei, expires_at)
                        values (?, ?, ?, ?, ?, ?::numeric[], ?) returning id""")
                .params(
                        terms.id(),
                        consumer,
                        state.name(),
                        new BigDecimal(deposit.value()),
                        expectedRequests,
                        arrayLiteral(prices),
                        Timestamp.from(expires))
                .query(Long.class)
                .single();
        return find(id, consumer).view();
    }

    /** What {@code caller} may see: its own negotiations, or those on its listings (expired when due). */
    @Transactional
    public View get(long id, String caller) {
        Row row = find(id, caller);
        if (row.state().open() && !clock.instant().isBefore(row.expiresAt())) {
            expire(id);
            return find(id, caller).view();
        }
        return row.view();
    }

    /** Every negotiation {@code caller} is a party to (as consumer, or as the listing's provider), newest first. */
    @Transactional
    public List<View> mine(String caller) {
        jdbc.sql("""
                        update negotiation set state = :expired, updated_at = now()
                        where state in (:open) and expires_at <= :now
                          and (consumer_address = :caller or listing_id in (select l.id from listing l join provider p
                               on p.id = l.provider_id where p.payout_address = :caller))""")
                .param("expired", NegotiationState.EXPIRED.name())
                .param("open", OPEN)
                .param("now", Timestamp.from(clock.instant()))
                .param("caller", caller)
                .update();
        return jdbc.sql("""
                        select n.id, n.listing_id, l.slug, p.payout_address, n.consumer_address, n.state,
                               n.deposit_wei::text, n.expected_requests, n.prices_wei::text[], n.expires_at,
                               l.token_address, l.token_symbol, l.token_decimals
                        from negotiation n join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                        where n.consumer_address = ? or p.payout_address = ?
                        order by n.id desc limit 200""").params(caller, caller).query(Negotiations::row).stream()
                .map(Row::view)
                .toList();
    }

    private void expire(long id) {
        jdbc.sql("update negotiation set state = :expired, updated_at = now() where id = :id and state in (:open)")
                .param("expired", NegotiationState.EXPIRED.name())
                .param("id", id)
                .param("open", OPEN)
                .update();
    }

    /**
     * Applies {@code action} of {@code caller}, who must be the party the action belongs to. An offer found
     * expired is recorded as EXPIRED even though the action is refused.
     */
    @Transactional(noRollbackFor = ApiProblem.class)
    public View act(long id, String caller, NegotiationState.Action action, List<Wei> counterPrices) {
        Row row = find(id, caller);
        boolean providerAction = action.name().startsWith("PROVIDER");
        String party = providerAction ? row.provider() : row.consumer();
        if (!party.equalsIgnoreCase(caller)) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    "only the " + (providerAction ? "provider" : "consumer") + " of negotiation " + id + " may "
                            + action.name().toLowerCase().replace('_', ' '),
                    Map.of("negotiation", id));
        }
        Instant now = clock.instant();
        if (row.state().open() && !now.isBefore(row.expiresAt())) {
            expire(id);
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "negotiation " + id + " expired at " + row.expiresAt() + ": request a new quote",
                    Map.of("negotiation", id, "state", NegotiationState.EXPIRED.name()));
        }
        NegotiationState next = row.state()
                .after(action)
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.CONFLICT,
                        "negotiation " + id + " is " + row.state() + ": " + action + " is not possible",
                        Map.of(
                                "negotiation",
                                id,
                                "state",
                                row.state().name(),
                                "allowed",
                                row.state().allowed().stream().map(Enum::name).toList())));
        PriceTable prices = row.prices();
        if (action == NegotiationState.Action.PROVIDER_COUNTER) {
            if (counterPrices.size() != prices.categories()) {
                throw new ApiProblem(
                        ProblemType.INVALID_REQUEST,
                        "a counter-offer names one price per category (" + prices.categories() + ")",
                        Map.of());
            }
            prices = new PriceTable(counterPrices);
        }
        // compare-and-set on the state read: a concurrent answer makes this one fail instead of both winning
        int updated = jdbc.sql("""
                        update negotiation set state = ?, prices_wei = ?::numeric[], expires_at = ?, updated_at = now()
                        where id = ? and state = ?""")
                .params(
                        next.name(),
                        arrayLiteral(prices),
                        Timestamp.from(next.open() ? now.plus(OFFER_TTL) : row.expiresAt()),
                        id,
                        row.state().name())
                .update();
        if (updated != 1) {
            throw new ApiProblem(
                    ProblemType.CONFLICT, "negotiation " + id + " changed meanwhile: read it again", Map.of());
        }
        return find(id, caller).view();
    }

    /** Provider: the listing's automatic quoting rules. */
    @Transactional
    public void setRules(
            String listing,
            String caller,
            boolean auto,
            Wei minimumDeposit,
            List<Wei> floors,
            List<VolumeRule.Tier> tiers) {
        Terms terms = terms(listing);
        if (!terms.provider().equalsIgnoreCase(caller)) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN, "listing '" + listing + "' is not yours", Map.of("listing", listing));
        }
        if (!floors.isEmpty() && floors.size() != terms.list().categories()) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "give one floor per category (" + terms.list().categories() + ") or none",
                    Map.of());
        }
        jdbc.sql("update listing set auto_quote = ?, min_deposit_wei = ? where id = ?")
                .params(auto, new BigDecimal(minimumDeposit.value()), terms.id())
                .update();
        for (int c = 0; c < terms.list().categories(); c++) {
            jdbc.sql("update listing_category set floor_wei = ? where listing_id = ? and category = ?")
                    .param(
                            floors.isEmpty()
                                    ? null
                                    : new BigDecimal(floors.get(c).value()))
                    .param(terms.id())
                    .param(c)
                    .update();
        }
        jdbc.sql("delete from listing_volume_tier where listing_id = ?")
                .param(terms.id())
                .update();
        for (var tier : tiers) {
            jdbc.sql("insert into listing_volume_tier (listing_id, min_deposit_wei, min_requests, discount_bps)"
                            + " values (?, ?, ?, ?)")
                    .params(
                            terms.id(),
                            new BigDecimal(tier.minimumDeposit().value()),
                            tier.minimumRequests(),
                            tier.discount().value())
                    .update();
        }
    }

    private Terms terms(String listing) {
        ListingRow row = jdbc.sql("""
                        select l.id, p.payout_address, l.auto_quote, l.min_deposit_wei::text as min_deposit,
                               l.token_address, l.token_symbol, l.token_decimals
                        from listing l join provider p on p.id = l.provider_id where l.slug = ?""")
                .param(listing)
                .query((rs, n) -> new ListingRow(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getBoolean(3),
                        rs.getString(4),
                        TokenView.of(rs.getString(5), rs.getString(6), rs.getObject(7, Integer.class))))
                .optional()
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND, "no listing '" + listing + "'", Map.of("listing", listing)));
        List<Category> categories = jdbc.sql("select price_wei::text, coalesce(floor_wei, price_wei)::text"
                        + " from listing_category where listing_id = ? order by category")
                .param(row.id())
                .query((rs, n) -> new Category(Wei.parse(rs.getString(1)), Wei.parse(rs.getString(2))))
                .list();
        List<VolumeRule.Tier> tiers = jdbc.sql(
                        "select min_deposit_wei::text, min_requests, discount_bps from listing_volume_tier where listing_id = ?")
                .param(row.id())
                .query((rs, n) ->
                        new VolumeRule.Tier(Wei.parse(rs.getString(1)), rs.getLong(2), new BasisPoints(rs.getInt(3))))
                .list();
        return new Terms(
                row.id(),
                row.provider(),
                new PriceTable(categories.stream().map(Category::price).toList()),
                new PriceTable(categories.stream().map(Category::floor).toList()),
                new VolumeRule(tiers),
                Wei.parse(row.minimumDeposit()),
                row.auto(),
                row.token());
    }

    private Row find(long id, String caller) {
        // someone else's negotiation is not found, not forbidden: its existence is not disclosed
        return jdbc.sql("""
                        select n.id, n.listing_id, l.slug, p.payout_address, n.consumer_address, n.state,
                               n.deposit_wei::text, n.expected_requests, n.prices_wei::text[], n.expires_at,
                               l.token_address, l.token_symbol, l.token_decimals
                        from negotiation n join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                        where n.id = ?""")
                .param(id)
                .query(Negotiations::row)
                .optional()
                .filter(row -> row.consumer().equalsIgnoreCase(caller)
                        || row.provider().equalsIgnoreCase(caller))
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND, "no negotiation " + id + " of yours", Map.of("negotiation", id)));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Array prices = rs.getArray(9);
        List<Wei> table =
                Arrays.stream((String[]) prices.getArray()).map(Wei::parse).toList();
        return new Row(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                NegotiationState.valueOf(rs.getString(6)),
                Wei.parse(rs.getString(7)),
                rs.getLong(8),
                new PriceTable(table),
                rs.getTimestamp(10).toInstant(),
                TokenView.of(rs.getString(11), rs.getString(12), rs.getObject(13, Integer.class)));
    }

    private static String arrayLiteral(PriceTable prices) {
        return "{" + String.join(",", prices.decimals()) + "}";
    }
}
