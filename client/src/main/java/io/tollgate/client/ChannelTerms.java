package io.tollgate.client;

import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;

/**
 * What the client signs for: a channel on a chain, its active epoch and that epoch's price table.
 *
 * @param channel the Intermediary contract, {@code 0x} + 40 hex digits
 * @param chainId the chain the channel lives on (part of the EIP-712 domain)
 * @param epoch the active epoch, ≥ 1
 * @param prices the price per request of each category {@code 0..k-1}, 1 ≤ k ≤ 16
 */
public record ChannelTerms(String channel, long chainId, long epoch, List<Wei> prices) {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    public ChannelTerms {
        if (channel == null || !ADDRESS.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel must be 0x and 40 hex digits: " + channel);
        }
        if (chainId < 1 || epoch < 1) {
            throw new IllegalArgumentException("chain id and epoch must be positive");
        }
        if (prices == null || prices.isEmpty() || prices.size() > 16) {
            throw new IllegalArgumentException("a price table has 1 to 16 categories");
        }
        channel = channel.toLowerCase(Locale.ROOT);
        prices = List.copyOf(prices);
    }

    /** The same channel in another epoch, with that epoch's prices. */
    public ChannelTerms inEpoch(long newEpoch, List<Wei> newPrices) {
        return new ChannelTerms(channel, chainId, newEpoch, newPrices);
    }

    public Wei price(int category) {
        if (category < 0 || category >= prices.size()) {
            throw new IllegalArgumentException(
                    "category " + category + " is not in this channel's price table (0.." + (prices.size() - 1) + ")");
        }
        return prices.get(category);
    }

    /** keccak256(abi.encodePacked(uint256[] prices)), as the contract computes it. */
    public byte[] priceTableHash() {
        byte[] packed = new byte[32 * prices.size()];
        for (int i = 0; i < prices.size(); i++) {
            byte[] word = uint256(prices.get(i).value());
            System.arraycopy(word, 0, packed, 32 * i, 32);
        }
        return Hash.sha3(packed);
    }

    public String priceTableHashHex() {
        return "0x" + HexFormat.of().formatHex(priceTableHash());
    }

    static byte[] uint256(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] word = new byte[32];
        int start = raw.length > 32 ? raw.length - 32 : 0;
        System.arraycopy(raw, start, word, 32 - (raw.length - start), raw.length - start);
        return word;
    }
}
