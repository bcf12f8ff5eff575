package io.tollgate.gateway.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.redemption.RedemptionDecision.Decision;
import io.tollgate.gateway.redemption.RedemptionDecision.Input;
import io.tollgate.gateway.redemption.RedemptionDecision.Reason;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The redemption rule: never below the worth ratio unless forced (close requested, exposure share, max age),
 * always when a close is requested and something is to claim, never with nothing to claim, and the same input
 * always gives the same decision.
 */
class RedemptionDecisionPropertyTest {

    private static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Provide
    Arbitrary<Wei> amount() {
        return Arbitraries.oneOf(
                        Arbitraries.bigIntegers().between(BigInteger.ZERO, UINT256_MAX),
                        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(18)),
                        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(10_000_000)),
                        Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, UINT256_MAX))
                .map(Wei::new);
    }

    @Provide
    Arbitrary<Input> input() {
        var gasUnits = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 10_000_000), Arbitraries.of(0L, 1L, 329_478L, Long.MAX_VALUE));
        var feePerGas = Arbitraries.oneOf(
                        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(12)),
                        Arbitraries.bigIntegers().between(BigInteger.ZERO, UINT256_MAX),
                        Arbitraries.of(BigInteger.ZERO, BigInteger.ONE))
                .map(Wei::new);
        var age =
                Arbitraries.longs().between(0, Duration.ofDays(60).toSeconds()).map(Duration::ofSeconds);
        return Combinators.combine(
                        amount(),
                        amount(),
                        amount(),
                        Arbitraries.of(true, false),
                        age,
                        gasUnits,
                        feePerGas,
                        Arbitraries.of(true, false))
                .as((value, exposure, deposit, close, waited, gas, fee, valueIsTheCappedExposure) -> new Input(
                        valueIsTheCappedExposure ? exposure.min(deposit) : value,
                        exposure,
                        deposit,
                        close,
                        waited,
                        gas,
                        fee));
    }

    @Provide
    Arbitrary<Duration> maxAge() {
        return Arbitraries.longs().between(1, Duration.ofDays(30).toSeconds()).map(Duration::ofSeconds);
    }

    private static boolean exposureReachedShare(Input in, int bps) {
        return in.exposure()
                        .value()
                        .compareTo(in.deposit()
                                .value()
                                .multiply(BigInteger.valueOf(bps))
                                .divide(BigInteger.valueOf(10_000)))
                >= 0;
    }

    private static boolean worthIt(Input in, int ratio) {
        return in.value().value().compareTo(in.gasCost().multiply(BigInteger.valueOf(ratio))) >= 0;
    }

    @Property(tries = 2000)
    void neverRedeemsBelowTheWorthRatioUnlessForced(
            @ForAll("input") Input in,
            @ForAll @IntRange(min = 1, max = 1000) int ratio,
            @ForAll @IntRange(min = 1, max = 10_000) int bps,
            @ForAll("maxAge") Duration maxAge) {
        Decision decision = new RedemptionDecision(ratio, bps, maxAge).decide(in);
        boolean forced =
                in.closeRequested() || exposureReachedShare(in, bps) || in.age().compareTo(maxAge) >= 0;
        if (!worthIt(in, ratio) && !forced) {
            assertThat(decision).isInstanceOf(Decision.Wait.class);
        }
        if (decision instanceof Decision.Redeem(Reason reason, Input same)) {
            assertThat(same).isEqualTo(in);
            switch (reason) {
                case WORTH_IT -> assertThat(worthIt(in, ratio)).isTrue();
                case CLOSE_REQUESTED -> assertThat(in.closeRequested()).isTrue();
                case EXPOSURE_SHARE -> assertThat(exposureReachedShare(in, bps)).isTrue();
                case MAX_AGE -> assertThat(in.age()).isGreaterThanOrEqualTo(maxAge);
            }
        }
    }

    @Property(tries = 1000)
    void alwaysRedeemsWhenACloseIsRequestedAndThereIsSomethingToClaim(
            @ForAll("input") Input any,
            @ForAll @IntRange(min = 1, max = 1000) int ratio,
            @ForAll @IntRange(min = 1, max = 10_000) int bps,
            @ForAll("maxAge") Duration maxAge) {
        var in = new Input(
                any.value().isZero() ? Wei.of(1) : any.value(),
                any.exposure(),
                any.deposit(),
                true,
                any.age(),
                any.gasUnits(),
                any.feePerGas());
        assertThat(new RedemptionDecision(ratio, bps, maxAge).decide(in))
                .isEqualTo(new Decision.Redeem(Reason.CLOSE_REQUESTED, in));
    }

    @Property(tries = 1000)
    void neverRedeemsWithNothingToClaim(
            @ForAll("input") Input any,
            @ForAll @IntRange(min = 1, max = 1000) int ratio,
            @ForAll @IntRange(min = 1, max = 10_000) int bps,
            @ForAll("maxAge") Duration maxAge) {
        var in = new Input(
                Wei.ZERO,
                any.exposure(),
                any.deposit(),
                any.closeRequested(),
                any.age(),
                any.gasUnits(),
                any.feePerGas());
        assertThat(new RedemptionDecision(ratio, bps, maxAge).decide(in)).isEqualTo(new Decision.Wait(in));
    }

    @Property(tries = 1000)
    void theSameInputAlwaysGivesTheSameDecision(
            @ForAll("input") Input in,
            @ForAll @IntRange(min = 1, max = 1000) int ratio,
            @ForAll @IntRange(min = 1, max = 10_000) int bps,
            @ForAll("maxAge") Duration maxAge) {
        var rule = new RedemptionDecision(ratio, bps, maxAge);
        Decision first = rule.decide(in);
        assertThat(rule.decide(in)).isEqualTo(first);
        assertThat(new RedemptionDecision(ratio, bps, maxAge).decide(copy(in))).isEqualTo(first);
        assertThat(rule.numbers(rule.decide(in))).isEqualTo(rule.numbers(first));
    }

    private static Input copy(Input in) {
        return new Input(
                new Wei(new BigInteger(in.value().toString())),
                new Wei(new BigInteger(in.exposure().toString())),
                new Wei(new BigInteger(in.deposit().toString())),
                in.closeRequested(),
                Duration.ofSeconds(in.age().toSeconds()),
                in.gasUnits(),
                new Wei(new BigInteger(in.feePerGas().toString())));
    }

    @Property(tries = 500)
    void redeemsExactlyFromTheWorthRatioOn(
            @ForAll @LongRange(min = 1, max = 10_000_000) long gasUnits,
            @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long feePerGas,
            @ForAll @IntRange(min = 1, max = 1000) int ratio) {
        var rule = new RedemptionDecision(ratio, 10_000, Duration.ofDays(1));
        BigInteger threshold = BigInteger.valueOf(gasUnits)
                .multiply(BigInteger.valueOf(feePerGas))
                .multiply(BigInteger.valueOf(ratio));
        Wei deposit = new Wei(threshold.multiply(BigInteger.TEN)); // the share (100 %) is far off
        var at = new Input(
                new Wei(threshold), new Wei(threshold), deposit, false, Duration.ZERO, gasUnits, Wei.of(feePerGas));
        var below = new Input(
                new Wei(threshold.subtract(BigInteger.ONE)),
                new Wei(threshold.subtract(BigInteger.ONE)),
                deposit,
                false,
                Duration.ZERO,
                gasUnits,
                Wei.of(feePerGas));
        assertThat(rule.decide(at)).isEqualTo(new Decision.Redeem(Reason.WORTH_IT, at));
        assertThat(rule.decide(below)).isEqualTo(new Decision.Wait(below));
    }

    @Example
    void theNumbersBehindADecisionAreLogged() {
        var rule = new RedemptionDecision(20, 5000, Duration.ofHours(24));
        var in = new Input(
                Wei.of(7_000_000),
                Wei.of(7_000_000),
                Wei.of(1_000_000_000),
                false,
                Duration.ofMinutes(5),
                329_478,
                Wei.of(1));
        var numbers = rule.numbers(rule.decide(in));
        assertThat(numbers)
                .containsEntry("reason", "WORTH_IT")
                .containsEntry("valueWei", "7000000")
                .containsEntry("gasUnits", "329478")
                .containsEntry("feePerGasWei", "1")
                .containsEntry("gasCostWei", "329478")
                .containsEntry("valueToGasCost", "21")
                .containsEntry("worthRatio", "20")
                .containsEntry("ageSeconds", "300");
    }
}
