package io.tollgate.gateway.chain;

import io.tollgate.pricing.Wei;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Hash;

/**
 * The price table of one epoch as the channel holds it.
 *
 * @param prices price per request of categories 0..k−1
 * @param expiresAt empty while the epoch is active; once a redemption started, when the epoch stops being
 *     accepted (start + T_r)
 */
public record EpochTerms(long epoch, List<Wei> prices, Optional<Instant> expiresAt) {

    public EpochTerms {
        prices = List.copyOf(prices);
        if (prices.isEmpty() || prices.size() > 16) {
            throw new IllegalArgumentException("a price table has 1..16 categories");
        }
    }

    /** {@code keccak256(abi.encodePacked(uint256[] prices))}. */
    public byte[] priceTableHash() {
        byte[] packed = new byte[32 * prices.size()];
        for (int i = 0; i < prices.size(); i++) {
            byte[] raw = prices.get(i).value().toByteArray();
            int start = raw.length > 32 ? raw.length - 32 : 0;
            System.arraycopy(raw, start, packed, 32 * i + 32 - (raw.length - start), raw.length - start);
        }
        return Hash.sha3(packed);
    }

    public String priceTableHashHex() {
        return "0x" + HexFormat.of().formatHex(priceTableHash());
    }

    public Optional<Wei> price(int category) {
        return category < prices.size() ? Optional.of(prices.get(category)) : Optional.empty();
    }
}
