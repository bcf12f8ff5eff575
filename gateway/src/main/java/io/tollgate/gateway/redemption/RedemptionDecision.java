package io.tollgate.gateway.redemption;

import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a channel's unredeemed value is to be redeemed now, and why: when it pays (the value is at least
 * {@code worth-ratio} × the redemption's estimated gas cost) or when it must (the exposure reached its share of
 * the deposit, a close was requested, or the value is older than {@code max-age}); never on a timer alone, and
 * never with nothing to claim. Pure: the same input always gives the same decision.
 */
public final class RedemptionDecision {

    public enum Reason {
        /** A close was requested: the last epoch must be redeemed before the close time. */
        CLOSE_REQUESTED,
        /** The exposure reached the configured share of the unredeemed deposit. */
        EXPOSURE_SHARE,
        /** The value to claim is at least worth-ratio × the estimated gas cost of claiming it. */
        WORTH_IT,
        /** The value to claim waited max-age (a safety net for channels too small to be worth it). */
        MAX_AGE
    }

    /**
     * What a decision is made from.
     *
     * @param value what the redemption would claim (for the two-phase path: the active epoch's exposure, at most
     *     the unredeemed deposit)
     * @param exposure Σ best count × price not yet redeemed
     * @param deposit the unredeemed deposit
     * @param closeRequested the owner asked to close
     * @param age how long the value has been waiting (for the two-phase path: since the active epoch opened)
     * @param gasUnits the estimated gas of all transactions of the redemption
     * @param feePerGas the estimated cost of one gas (base fee + tip, or the legacy gas price)
     */
    public record Input(
            Wei value, Wei exposure, Wei deposit, boolean closeRequested, Duration age, long gasUnits, Wei feePerGas) {
        public Input {
            if (gasUnits < 0) {
                throw new IllegalArgumentException("gas units below zero: " + gasUnits);
            }
            if (age.isNegative()) {
                age = Duration.ZERO; // a clock that went back: nothing waited
            }
        }

        /** The estimated gas cost of the redemption: gas units × fee per gas (may exceed uint256 in theory). */
        public BigInteger gasCost() {
            return feePerGas.value().multiply(BigInteger.valueOf(gasUnits));
        }
    }

    /** A decision, with the input it was made from (to log the numbers behind it). */
    public sealed interface Decision {
        Input input();

        record Redeem(Reason reason, Input input) implements Decision {}

        record Wait(Input input) implements Decision {}
    }

    private final int worthRatio;
    private final BasisPoints exposureShare;
    private final Duration maxAge;

    /**
     * @param worthRatio redeem once the value is at least this many times the estimated gas cost
     * @param exposureShareBps redeem once the exposure reaches this share of the deposit, basis points
     * @param maxAge redeem a value that has waited this long, however small
     */
    public RedemptionDecision(int worthRatio, int exposureShareBps, Duration maxAge) {
        if (worthRatio < 1 || exposureShareBps < 1 || exposureShareBps > BasisPoints.WHOLE || !maxAge.isPositive()) {
            throw new IllegalArgumentException("worth ratio " + worthRatio + ", exposure share " + exposureShareBps
                    + " bps, max age " + maxAge + ": need a ratio ≥ 1, a share in 1..10000 and a positive age");
        }
        this.worthRatio = worthRatio;
        this.exposureShare = new BasisPoints(exposureShareBps);
        this.maxAge = maxAge;
    }

    public int worthRatio() {
        return worthRatio;
    }

    /**
     * The numbers behind a decision, for a structured log line (amounts as decimal strings). {@code valueWei},
     * {@code exposureWei} and {@code depositWei} are integers of the channel token's smallest unit (wei only for
     * ether: log them with the channel's token); the gas figures are wei.
     */
    public Map<String, String> numbers(Decision decision) {
        var in = decision.input();
        var numbers = new LinkedHashMap<String, String>();
        if (decision instanceof Decision.Redeem redeem) {
            numbers.put("reason", redeem.reason().name());
        }
        numbers.put("valueWei", in.value().toString());
        numbers.put("exposureWei", in.exposure().toString());
        numbers.put("depositWei", in.deposit().toString());
        numbers.put("gasUnits", Long.toString(in.gasUnits()));
        numbers.put("feePerGasWei", in.feePerGas().toString());
        numbers.put("gasCostWei", in.gasCost().toString());
        numbers.put(
                "valueToGasCost",
                in.gasCost().signum() == 0
                        ? "unbounded"
                        : in.value().value().divide(in.gasCost()).toString());
        numbers.put("worthRatio", Integer.toString(worthRatio));
        numbers.put("ageSeconds", Long.toString(in.age().toSeconds()));
        numbers.put("closeRequested", Boolean.toString(in.closeRequested()));
        return numbers;
    }

    public Decision decide(Input in) {
        if (in.value().isZero()) {
            return new Decision.Wait(in);
        }
        if (in.closeRequested()) {
            return new Decision.Redeem(Reason.CLOSE_REQUESTED, in);
        }
        if (in.exposure().compareTo(exposureShare.shareOf(in.deposit())) >= 0) {
            return new Decision.Redeem(Reason.EXPOSURE_SHARE, in);
        }
        if (in.value().value().compareTo(in.gasCost().multiply(BigInteger.valueOf(worthRatio))) >= 0) {
            return new Decision.Redeem(Reason.WORTH_IT, in);
        }
        if (in.age().compareTo(maxAge) >= 0) {
            return new Decision.Redeem(Reason.MAX_AGE, in);
        }
        return new Decision.Wait(in);
    }
}
