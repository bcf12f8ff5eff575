package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.catalogue.ListingCommand.SlaCommand;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The SLA terms of listings (tables {@code listing_sla} and {@code listing_sla_tier}). */
@Repository
public class ListingSlas {
    private final NamedParameterJdbcTemplate jdbc;

    ListingSlas(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The terms of one listing; empty when it has none. */
    public Optional<SlaView> of(long listingId) {
        return Optional.ofNullable(of(List.of(listingId)).get(listingId));
    }

    /** The terms of each of these listings that has any, by listing id, in two statements. */
    Map<Long, SlaView> of(Collection<Long> listingIds) {
        if (listingIds.isEmpty()) {
            return Map.of();
        }
        var ids = Map.of("ids", listingIds);
        Map<Long, List<SlaView.TierView>> tiers = new HashMap<>();
        jdbc.query(
                "select listing_id, below_bps, penalty_wei::text as penalty from listing_sla_tier"
                        + " where listing_id in (:ids) order by listing_id, below_bps desc",
                ids,
                (RowCallbackHandler) rs -> tiers.computeIfAbsent(rs.getLong("listing_id"), k -> new ArrayList<>())
                        .add(new SlaView.TierView(rs.getInt("below_bps"), rs.getString("penalty"))));
        Map<Long, SlaView> terms = new HashMap<>();
        jdbc.query(
                "select listing_id, target_bps, window_seconds, monitors, quorum, collateral_wei::text as collateral,"
                        + " probe_path, report_period_seconds from listing_sla where listing_id in (:ids)",
                ids,
                (RowCallbackHandler) rs -> {
                    long id = rs.getLong("listing_id");
                    terms.put(
                            id,
                            new SlaView(
                                    rs.getInt("target_bps"),
                                    rs.getLong("window_seconds"),
                                    List.copyOf(tiers.getOrDefault(id, List.of())),
                                    List.of((String[]) rs.getArray("monitors").getArray()),
                                    rs.getInt("quorum"),
                                    rs.getString("collateral"),
                                    rs.getString("probe_path"),
                                    rs.getLong("report_period_seconds")));
                });
        return terms;
    }

    /** Replaces the listing's terms with {@code command}; null removes them. Runs in the caller's transaction. */
    public void replace(long listingId, @Nullable SlaCommand command) {
        var id = Map.of("id", listingId);
        jdbc.update("delete from listing_sla where listing_id = :id", id); // tiers cascade
        if (command == null) {
            return;
        }
        String[] monitors =
                command.monitors().stream().map(m -> m.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        jdbc.getJdbcTemplate().update("""
                        insert into listing_sla (listing_id, target_bps, window_seconds, monitors, quorum, collateral_wei,
                            probe_path, report_period_seconds) values (?, ?, ?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setLong(1, listingId);
            ps.setInt(2, command.targetBps());
            ps.setLong(3, command.windowSeconds());
            ps.setArray(4, ps.getConnection().createArrayOf("text", monitors));
            ps.setInt(5, command.quorum());
            ps.setBigDecimal(6, new BigDecimal(command.collateralWei()));
            ps.setString(7, command.probePath());
            ps.setLong(8, command.reportPeriod());
        });
        command.tiers().stream()
                .sorted(Comparator.comparingInt(ListingCommand.TierCommand::belowBps)
                        .reversed())
                .forEach(tier -> jdbc.update(
                        "insert into listing_sla_tier (listing_id, below_bps, penalty_wei) values (:id, :below, :penalty)",
                        Map.of(
                                "id",
                                listingId,
                                "below",
                                tier.belowBps(),
                                "penalty",
                                new BigDecimal(tier.penaltyWei()))));
    }
}
