package io.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class QuoteCalculatorTest {
    static final VolumeRule RULE = new VolumeRule(List.of(
            new VolumeRule.Tier(Wei.of(1_000_000), 0, new BasisPoints(500)),
            new VolumeRule.Tier(Wei.of(10_000_000), 0, new BasisPoints(1500)),
            new VolumeRule.Tier(Wei.of(1_000_000), 100_000, new BasisPoints(2000))));

    @Property
    void aQuoteNeverGoesBelowTheProvidersFloor(
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long list0,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long list1,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long floor0,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long floor1,
            @ForAll @IntRange(min = 0, max = 10_000) int discount,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long deposit) {
        var calculator = new QuoteCalculator(
                PriceTable.of(list0, list1),
                PriceTable.of(floor0, floor1),
                new VolumeRule(List.of(new VolumeRule.Tier(Wei.ZERO, 0, new BasisPoints(discount)))),
                Wei.ZERO);
        var quoted = (QuoteOutcome.Quoted) calculator.quote(new QuoteRequest(Wei.of(deposit), 0));
        assertThat(quoted.prices().atLeast(PriceTable.of(floor0, floor1))).isTrue();
        assertThat(quoted.prices().price(0).compareTo(Wei.of(Math.max(list0, floor0))))
                .isLessThanOrEqualTo(0);
    }

    @Property
    void aLargerDepositNeverCostsMorePerRequest(
            @ForAll @LongRange(min = 0, max = 50_000_000L) long smaller,
            @ForAll @LongRange(min = 0, max = 50_000_000L) long extra,
            @ForAll @LongRange(min = 0, max = 200_000L) long volume) {
        var calculator = new QuoteCalculator(PriceTable.of(10_000, 333), PriceTable.of(7_000, 1), RULE, Wei.ZERO);
        var low = (QuoteOutcome.Quoted) calculator.quote(new QuoteRequest(Wei.of(smaller), volume));
        var high = (QuoteOutcome.Quoted) calculator.quote(new QuoteRequest(Wei.of(smaller + extra), volume));
        assertThat(low.prices().atLeast(high.prices())).isTrue();
    }

    @Test
    void appliesTheBestTierTheRequestQualifiesForRoundingInTheProvidersFavour() {
        var calculator = new QuoteCalculator(PriceTable.of(10_000, 333), PriceTable.of(7_000, 1), RULE, Wei.of(1000));
        assertThat(calculator.quote(new QuoteRequest(Wei.of(999_999), 0)))
                .isEqualTo(new QuoteOutcome.Quoted(PriceTable.of(10_000, 333), BasisPoints.ZERO));
        assertThat(calculator.quote(new QuoteRequest(Wei.of(1_000_000), 0)))
                .isEqualTo(new QuoteOutcome.Quoted(PriceTable.of(9_500, 317), new BasisPoints(500)));
        // 20 % off 10 000 is 8 000; 333 × 0.8 = 266.4 rounds up to 267
        assertThat(calculator.quote(new QuoteRequest(Wei.of(1_000_000), 100_000)))
                .isEqualTo(new QuoteOutcome.Quoted(PriceTable.of(8_000, 267), new BasisPoints(2000)));
    }

    @Test
    void refusesDepositsBelowTheMinimumAndMismatchedTables() {
        var calculator = new QuoteCalculator(PriceTable.of(10, 20), PriceTable.of(5, 5), RULE, Wei.of(1000));
        assertThat(calculator.quote(new QuoteRequest(Wei.of(999), 0)))
                .isEqualTo(new QuoteOutcome.DepositTooSmall(Wei.of(1000)));
        var mismatched = new QuoteCalculator(PriceTable.of(10, 20), PriceTable.of(5), RULE, Wei.ZERO);
        assertThat(mismatched.quote(new QuoteRequest(Wei.of(1), 0)))
                .isEqualTo(new QuoteOutcome.CategoriesMismatch(2, 1));
    }

    @Test
    void anOfferExpiresAtItsInstantAndIsHonouredOnlyByTablesNotBelowIt() {
        var now = java.time.Instant.parse("2026-11-24T12:00:00Z");
        var offer = new Offer(PriceTable.of(100, 200), Wei.of(1000), now.plusSeconds(60));
        assertThat(offer.expired(java.time.Clock.fixed(now.plusSeconds(59), java.time.ZoneOffset.UTC)))
                .isFalse();
        assertThat(offer.expired(java.time.Clock.fixed(now.plusSeconds(60), java.time.ZoneOffset.UTC)))
                .isTrue();
        assertThat(offer.honouredBy(PriceTable.of(100, 200))).isTrue();
        assertThat(offer.honouredBy(PriceTable.of(100, 199))).isFalse();
        assertThat(offer.honouredBy(PriceTable.of(100))).isFalse();
    }
}
