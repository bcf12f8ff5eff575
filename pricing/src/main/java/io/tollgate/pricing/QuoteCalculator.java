package io.tollgate.pricing;

import java.util.ArrayList;
import java.util.List;

/**
 * Quotes a price table for a consumer: the list prices less the best volume discount the request
 * qualifies for, never below the provider's floor in any category.
 *
 * @param listPrices the listing's published prices
 * @param floor the least the provider accepts per category (same categories as the list)
 * @param rule the automatic discounts
 * @param minimumDeposit the least deposit a channel must carry
 */
public record QuoteCalculator(PriceTable listPrices, PriceTable floor, VolumeRule rule, Wei minimumDeposit) {

    public QuoteOutcome quote(QuoteRequest request) {
        if (listPrices.categories() != floor.categories()) {
            return new QuoteOutcome.CategoriesMismatch(listPrices.categories(), floor.categories());
        }
        if (request.deposit().compareTo(minimumDeposit) < 0) {
            return new QuoteOutcome.DepositTooSmall(minimumDeposit);
        }
        BasisPoints discount = rule.discountFor(request);
        List<Wei> prices = new ArrayList<>(listPrices.categories());
        for (int category = 0; category < listPrices.categories(); category++) {
            Wei discounted = discount.discount(listPrices.price(category));
            Wei least = floor.price(category);
            prices.add(discounted.compareTo(least) < 0 ? least : discounted);
        }
        return new QuoteOutcome.Quoted(new PriceTable(prices), discount);
    }
}
