package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.catalogue.ListingCommand.CategoryCommand;
import io.tollgate.marketplace.catalogue.ListingCommand.SlaCommand;
import io.tollgate.marketplace.catalogue.ListingCommand.TierCommand;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.TokenUnit;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A listing command's amounts in base units: each amount given in whole units of the listing's token ({@code
 * price}, {@code collateral}, {@code penalty}) parsed exactly with {@link TokenUnit#parse}, and checked against the
 * base-unit form when both are given. Base units are what is stored; whole units are a convenience that round-trips.
 */
final class ListingAmounts {
    private ListingAmounts() {}

    /**
     * The command with every {@code *Wei} field set; one 400 problem naming each amount that is not exact in
     * {@code unit} ({@code errors}, keyed by the field's path).
     */
    static ListingCommand inBaseUnits(ListingCommand command, TokenUnit unit) {
        Map<String, String> errors = new LinkedHashMap<>();
        List<CategoryCommand> categories = new ArrayList<>();
        for (int i = 0; i < command.categories().size(); i++) {
            var category = command.categories().get(i);
            categories.add(new CategoryCommand(
                    category.name(),
                    base(unit, category.priceWei(), category.price(), "categories[" + i + "].price", errors),
                    category.price()));
        }
        SlaCommand sla = command.sla();
        if (sla != null) {
            List<TierCommand> tiers = new ArrayList<>();
            for (int i = 0; i < sla.tiers().size(); i++) {
                var tier = sla.tiers().get(i);
                tiers.add(new TierCommand(
                        tier.belowBps(),
                        base(unit, tier.penaltyWei(), tier.penalty(), "sla.tiers[" + i + "].penalty", errors),
                        tier.penalty()));
            }
            sla = sla.withAmounts(tiers, base(unit, sla.collateralWei(), sla.collateral(), "sla.collateral", errors));
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "amounts are in " + unit.symbol() + " (" + unit.decimals() + " decimals): "
                            + String.join(
                                    "; ",
                                    errors.entrySet().stream()
                                            .map(e -> e.getKey() + ": " + e.getValue())
                                            .toList()),
                    Map.of("errors", errors));
        }
        return command.withAmounts(categories, sla);
    }

    /** The base units of an amount given as base units, whole units or both; null (and an error) when wrong. */
    private static @Nullable String base(
            TokenUnit unit,
            @Nullable String baseUnits,
            @Nullable String wholeUnits,
            String field,
            Map<String, String> errors) {
        if (wholeUnits == null) {
            return baseUnits;
        }
        BigInteger parsed;
        try {
            parsed = unit.parse(wholeUnits).value();
        } catch (IllegalArgumentException e) {
            errors.put(field, e.getMessage());
            return null;
        }
        if (baseUnits != null && !new BigInteger(baseUnits).equals(parsed)) {
            errors.put(
                    field,
                    "'" + wholeUnits + "' " + unit.symbol() + " is " + parsed + " base units, but the base-unit form"
                            + " says " + baseUnits + ": give one of them, or both agreeing");
            return null;
        }
        return parsed.toString();
    }
}
