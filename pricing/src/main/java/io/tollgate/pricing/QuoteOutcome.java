package io.tollgate.pricing;

/** The answer of {@link QuoteCalculator}: a price table, or why there is none. */
public sealed interface QuoteOutcome {

    /** The prices the channel must hold, and the discount that produced them. */
    record Quoted(PriceTable prices, BasisPoints discount) implements QuoteOutcome {}

    /** The deposit is below what the listing asks of every channel. */
    record DepositTooSmall(Wei minimumDeposit) implements QuoteOutcome {}

    /** The list prices and the floor do not describe the same categories. */
    record CategoriesMismatch(int listCategories, int floorCategories) implements QuoteOutcome {}
}
