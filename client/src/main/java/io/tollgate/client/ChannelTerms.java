package io.tollgate.client;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import java.util.Locale;

/**
 * What the client signs for: a channel on a chain, its active epoch and that epoch's price table.
 *
 * @param channel the Intermediary contract, {@code 0x} + 40 hex digits
 * @param chainId the chain the channel lives on (part of the EIP-712 domain)
 * @param epoch the active epoch, ≥ 1
 * @param prices the epoch's price per request of each category
 */
public record ChannelTerms(String channel, long chainId, long epoch, PriceTable prices) {
    public ChannelTerms {
        if (channel == null || !Address.isAddress(channel)) {
            throw new IllegalArgumentException("channel must be 0x and 40 hex digits: " + channel);
        }
        if (chainId < 1 || epoch < 1) {
            throw new IllegalArgumentException("chain id and epoch must be positive");
        }
        if (prices == null) {
            throw new IllegalArgumentException("a channel has a price table");
        }
        channel = channel.toLowerCase(Locale.ROOT);
    }

    /** The same channel in another epoch, with that epoch's prices. */
    public ChannelTerms inEpoch(long newEpoch, PriceTable newPrices) {
        return new ChannelTerms(channel, chainId, newEpoch, newPrices);
    }

    public Wei price(int category) {
        return prices.price(category);
    }
}
