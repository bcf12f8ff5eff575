package io.tollgate.gateway.economics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The settlement-economics scenario of issue 18 and the prices it is judged at; every field can be overridden
 * with a system property {@code tollgate.economics.<name>} (scripts/economics.sh maps its arguments and
 * environment onto them).
 *
 * @param calls paid calls over the period, evenly spread
 * @param period how long the scenario runs
 * @param priceUsd the price of one call in US dollars (every category has this price)
 * @param usdPerEther the ether price the dollar figures and the wei amounts are converted at
 * @param priceWei the price of one call in wei: {@code floor(priceUsd × 10^18 / usdPerEther)} unless given
 * @param depositUsd the consumer's deposit in dollars; topped up when low
 * @param depositWei the deposit in wei, converted like the price
 * @param topUpBelowBps the consumer tops up when the gateway reports a remaining credit below this share of the
 *     deposit; it deposits what brings the credit back to the deposit
 * @param feesGwei the fee levels the gas is priced at (a main-chain-like and an L2-like one)
 * @param categories the price-table sizes k to run the scenario with
 * @param step how far the simulated clock (and the chain's) moves between scheduler steps
 * @param tolerance the channel's T_r (the marketplace's default)
 * @param closeDelay the channel's T_c (the marketplace's default)
 * @param batchSizes the numbers of channels claimed in one {@code IntermediaryFactory.claimMany} transaction
 * @param database the PostgreSQL database the redemption journal lives in (created and migrated on demand)
 * @param out where the document is written
 */
record Scenario(
        long calls,
        Duration period,
        BigDecimal priceUsd,
        BigDecimal usdPerEther,
        BigInteger priceWei,
        BigDecimal depositUsd,
        BigInteger depositWei,
        int topUpBelowBps,
        List<BigDecimal> feesGwei,
        List<Integer> categories,
        Duration step,
        Duration tolerance,
        Duration closeDelay,
        List<Integer> batchSizes,
        String database,
        Path out) {

    static final BigDecimal ETHER = new BigDecimal(BigInteger.TEN.pow(18));
    static final BigDecimal GWEI = new BigDecimal(BigInteger.TEN.pow(9));

    Scenario {
        if (calls < 1 || period.isZero() || period.isNegative() || step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("calls, period and step must be positive");
        }
        if (period.toMillis() % step.toMillis() != 0) {
            throw new IllegalArgumentException("the period " + period + " is not a whole number of steps " + step);
        }
        if (priceWei.signum() <= 0 || depositWei.compareTo(priceWei) < 0) {
            throw new IllegalArgumentException("the price must be positive and the deposit at least one call");
        }
        for (int k : categories) {
            if (k < 1 || k > 16) {
                throw new IllegalArgumentException("a price table has 1..16 categories: " + k);
            }
        }
    }

    static Scenario fromSystemProperties() {
        BigDecimal usdPerEther = decimal("usd-per-ether", "3000");
        BigDecimal priceUsd = decimal("price-usd", "0.001");
        BigDecimal depositUsd = decimal("deposit-usd", "100");
        String priceWei = property("price-wei", "");
        String depositWei = property("deposit-wei", "");
        return new Scenario(
                Long.parseLong(property("calls", "1000000")),
                duration(property("period", "30d")),
                priceUsd,
                usdPerEther,
                priceWei.isEmpty() ? toWei(priceUsd, usdPerEther) : new BigInteger(priceWei),
                depositUsd,
                depositWei.isEmpty() ? toWei(depositUsd, usdPerEther) : new BigInteger(depositWei),
                Integer.parseInt(property("top-up-below-bps", "2000")),
                Arrays.stream(property("fees-gwei", "1,0.01").split(","))
                        .map(String::strip)
                        .map(BigDecimal::new)
                        .toList(),
                Arrays.stream(property("categories", "1,4,16").split(","))
                        .map(String::strip)
                        .map(Integer::valueOf)
                        .toList(),
                duration(property("step", "10m")),
                duration(property("tolerance", "60s")),
                duration(property("close-delay", "15m")),
                Arrays.stream(property("batch-sizes", "1,10,50").split(","))
                        .map(String::strip)
                        .map(Integer::valueOf)
                        .toList(),
                property("database", "tollgate_economics"),
                Path.of(property("out", "docs/economics.md")));
    }

    /** {@code floor(usd × 10^18 / usdPerEther)} wei. */
    static BigInteger toWei(BigDecimal usd, BigDecimal usdPerEther) {
        return usd.multiply(ETHER).divide(usdPerEther, 0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /** A fee level in wei per gas; refuses fractions of a wei. */
    static BigInteger gweiToWei(BigDecimal gwei) {
        return gwei.multiply(GWEI).toBigIntegerExact();
    }

    /** Wei in dollars at the scenario's ether price (for display only; every sum is kept in wei). */
    BigDecimal usd(BigInteger wei) {
        return new BigDecimal(wei).multiply(usdPerEther).divide(ETHER, 12, RoundingMode.HALF_EVEN);
    }

    /** What the scenario's calls are worth: calls × price, in wei. */
    BigInteger revenueWei() {
        return priceWei.multiply(BigInteger.valueOf(calls));
    }

    long steps() {
        return period.toMillis() / step.toMillis();
    }

    /** Calls served by the end of step {@code i} (0..steps): spread evenly, rounded down. */
    long servedBy(long i) {
        return BigInteger.valueOf(calls)
                .multiply(BigInteger.valueOf(i))
                .divide(BigInteger.valueOf(steps()))
                .longValueExact();
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty("tollgate.economics." + name, "").strip();
        return value.isEmpty() ? fallback : value;
    }

    private static BigDecimal decimal(String name, String fallback) {
        return new BigDecimal(property(name, fallback));
    }

    /** {@code 30d}, {@code 10m}, {@code 60s}, {@code 2h}, or ISO-8601 ({@code PT10M}). */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 'd' -> Duration.ofDays(n);
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            case 's' -> Duration.ofSeconds(n);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }
}
