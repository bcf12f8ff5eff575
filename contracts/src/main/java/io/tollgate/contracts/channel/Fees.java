package io.tollgate.contracts.channel;

import io.tollgate.pricing.Wei;

/**
 * What one unit of gas costs on the chain right now, as {@link FeeEstimator} estimated it: EIP-1559 fees where
 * the chain has a base fee, a legacy gas price where it has none.
 */
public sealed interface Fees {

    /** What one gas is expected to cost: base fee plus tip (within the cap), or the legacy gas price. */
    Wei perGas();

    /** The most one gas of a transaction sent with these fees can cost. */
    Wei maxPerGas();

    /** The least one gas costs for a transaction to be included at all. */
    Wei floor();

    /**
     * An EIP-1559 (type 2) fee.
     *
     * @param baseFee the next block's base fee (burnt)
     * @param tip maxPriorityFeePerGas: what the block builder is offered on top
     * @param cap maxFeePerGas: 2 × base fee + tip, lowered to the configured ceiling
     */
    record Eip1559(Wei baseFee, Wei tip, Wei cap) implements Fees {
        public Eip1559 {
            if (tip.compareTo(cap) > 0) {
                throw new IllegalArgumentException("tip " + tip + " above the fee cap " + cap);
            }
        }

        @Override
        public Wei perGas() {
            return baseFee.plus(tip).min(cap);
        }

        @Override
        public Wei maxPerGas() {
            return cap;
        }

        @Override
        public Wei floor() {
            return baseFee;
        }
    }

    /** A legacy (type 0) gas price, for chains without a base fee. */
    record Legacy(Wei gasPrice) implements Fees {
        @Override
        public Wei perGas() {
            return gasPrice;
        }

        @Override
        public Wei maxPerGas() {
            return gasPrice;
        }

        @Override
        public Wei floor() {
            return gasPrice;
        }
    }
}
