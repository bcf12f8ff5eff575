package io.tollgate.contracts.channel;

import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthFeeHistory;

/**
 * The chain's current gas fees, from EIP-1559 {@code eth_feeHistory} over the last {@value #BLOCKS} blocks: the
 * next block's base fee, a tip that is the median of those blocks' {@value #PERCENTILE}th-percentile priority fee
 * (blocks without transactions are left out; when all were empty, the node's {@code eth_maxPriorityFeePerGas}),
 * and a fee cap of 2 × base fee + tip, lowered to the configured ceiling. A chain without a base fee (its history
 * has none, or the node does not know {@code eth_feeHistory}) gets its {@code eth_gasPrice} as a legacy price.
 *
 * <p>{@link #current()} keeps an estimate for {@code maxAge}; {@link #fresh()} always asks the node. Both block
 * on the node: call them off the event loop. Thread-safe.
 */
public final class FeeEstimator {
    /** How many recent blocks the tip is taken from. */
    public static final int BLOCKS = 10;
    /** Which percentile of each block's priority fees counts. */
    public static final double PERCENTILE = 50;

    private final Web3j web3j;
    private final Wei ceiling;
    private final Duration maxAge;
    private final Clock clock;
    private Fees cached;
    private Instant cachedAt = Instant.MIN;

    /**
     * @param ceiling the most one gas may cost; {@link Wei#ZERO} for none
     * @param maxAge how long {@link #current()} keeps an estimate ({@link Duration#ZERO}: never)
     */
    public FeeEstimator(Web3j web3j, Wei ceiling, Duration maxAge, Clock clock) {
        this.web3j = web3j;
        this.ceiling = ceiling;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** An estimate that asks the node every time, with a ceiling. */
    public static FeeEstimator uncached(Web3j web3j, Wei ceiling) {
        return new FeeEstimator(web3j, ceiling, Duration.ZERO, Clock.systemUTC());
    }

    /** The ceiling these fees are capped at ({@link Wei#ZERO}: none). */
    public Wei ceiling() {
        return ceiling;
    }

    /** The last estimate while younger than {@code maxAge}, else a fresh one. */
    public synchronized Fees current() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cachedAt.plus(maxAge))) {
            return cached;
        }
        return fresh();
    }

    /**
     * Asks the node now (and keeps the answer for {@link #current()}).
     *
     * @throws UncheckedIOException when the node does not answer
     */
    public synchronized Fees fresh() {
        Fees fees = ask();
        cached = fees;
        cachedAt = clock.instant();
        return fees;
    }

    private Fees ask() {
        try {
            EthFeeHistory answer = web3j.ethFeeHistory(BLOCKS, DefaultBlockParameterName.LATEST, List.of(PERCENTILE))
                    .send();
            Optional<Wei> base = answer.hasError() ? Optional.empty() : nextBaseFee(answer.getFeeHistory());
            if (base.isEmpty()) {
                var gasPrice = web3j.ethGasPrice().send();
                if (gasPrice.hasError()) {
                    throw new IllegalStateException("the node has neither a fee history nor a gas price: "
                            + gasPrice.getError().getMessage());
                }
                return new Fees.Legacy(new Wei(gasPrice.getGasPrice()));
            }
            Optional<Wei> tip = medianTip(answer.getFeeHistory());
            return eip1559(base.get(), tip.isPresent() ? tip.get() : suggestedTip(), ceiling);
        } catch (IOException e) {
            throw new UncheckedIOException("the node did not answer a fee estimate", e);
        }
    }

    private Wei suggestedTip() throws IOException {
        var answer = web3j.ethMaxPriorityFeePerGas().send();
        return answer.hasError() ? Wei.ZERO : new Wei(answer.getMaxPriorityFeePerGas());
    }

    /**
     * The next block's base fee (the history's last entry); empty for a chain without base fee: no history, no
     * base fees, or a base fee of zero (what nodes report for blocks before London).
     */
    public static Optional<Wei> nextBaseFee(EthFeeHistory.FeeHistory history) {
        if (history == null
                || history.getBaseFeePerGasRaw() == null
                || history.getBaseFeePerGasRaw().isEmpty()) {
            return Optional.empty();
        }
        BigInteger next = history.getBaseFeePerGas().getLast();
        return next.signum() > 0 ? Optional.of(new Wei(next)) : Optional.empty();
    }

    /**
     * The median of the history's per-block priority fee (its first percentile) over the blocks that carried
     * transactions (gas used above zero); empty when none did. With an even number of blocks, the lower middle.
     */
    public static Optional<Wei> medianTip(EthFeeHistory.FeeHistory history) {
        if (history.getRewardRaw() == null || history.getGasUsedRatio() == null) {
            return Optional.empty();
        }
        List<List<BigInteger>> rewards = history.getReward();
        List<Double> used = history.getGasUsedRatio();
        var tips = new ArrayList<BigInteger>();
        for (int block = 0; block < Math.min(rewards.size(), used.size()); block++) {
            if (used.get(block) > 0 && !rewards.get(block).isEmpty()) {
                tips.add(rewards.get(block).getFirst());
            }
        }
        if (tips.isEmpty()) {
            return Optional.empty();
        }
        tips.sort(null);
        return Optional.of(new Wei(tips.get((tips.size() - 1) / 2)));
    }

    /**
     * EIP-1559 fees from a base fee and a tip: cap = 2 × base fee + tip, lowered to {@code ceiling} (when not
     * zero); the tip is never above the cap.
     */
    public static Fees.Eip1559 eip1559(Wei baseFee, Wei tip, Wei ceiling) {
        Wei cap = baseFee.plus(baseFee).plus(tip);
        if (!ceiling.isZero()) {
            cap = cap.min(ceiling);
        }
        return new Fees.Eip1559(baseFee, tip.min(cap), cap);
    }
}
