package io.tollgate.gateway.chain;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The price table of one epoch as the channel holds it, with its hash computed once (the request path
 * compares it with every voucher's).
 *
 * @param table price per request of categories 0..k−1
 * @param expiresAt empty while the epoch is active; once a redemption started, when the epoch stops being
 *     accepted (start + T_r)
 * @param priceTableHash {@code keccak256(abi.encodePacked(uint256[] prices))} of {@code table}
 * @param signer the signer of this epoch's vouchers when it differs from the channel's current one
 */
public record EpochTerms(
        long epoch, PriceTable table, Optional<Instant> expiresAt, byte[] priceTableHash, Optional<String> signer) {

    public EpochTerms {
        if (priceTableHash.length != 32) {
            throw new IllegalArgumentException("a price-table hash has 32 bytes");
        }
    }

    public EpochTerms(long epoch, PriceTable table, Optional<Instant> expiresAt) {
        this(epoch, table, expiresAt, table.hash(), Optional.empty());
    }

    /** The same terms, whose vouchers a given key signs (after a rotation it differs between epochs). */
    public EpochTerms signedBy(String signerAddress) {
        return new EpochTerms(epoch, table, expiresAt, priceTableHash, Optional.of(signerAddress));
    }

    public EpochTerms(long epoch, List<Wei> prices, Optional<Instant> expiresAt) {
        this(epoch, new PriceTable(prices), expiresAt);
    }

    public List<Wei> prices() {
        return table.prices();
    }

    public String priceTableHashHex() {
        return "0x" + HexFormat.of().formatHex(priceTableHash);
    }

    public Optional<Wei> price(int category) {
        return table.has(category) ? Optional.of(table.price(category)) : Optional.empty();
    }
}
