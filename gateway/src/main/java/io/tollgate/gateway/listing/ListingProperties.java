package io.tollgate.gateway.listing;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Listings configured on the gateway, {@code tollgate.gateway.listings.<id>.*}; also the
 * {@link ListingCatalog} built from them. A configured listing carries its admission policy in configuration:
 * the token, the floors and the T_r/T_c bounds a channel must meet ({@link Listing.Admission.Configured}). A
 * listing without an operator is refused at startup: a channel naming any operator would be served, and nobody
 * could redeem it.
 */
@Validated
@ConfigurationProperties("tollgate.gateway")
public record ListingProperties(@DefaultValue Map<String, ListingEntry> listings) implements ListingCatalog {

    public ListingProperties {
        listings.forEach((id, entry) -> {
            if (entry.operator() == null || entry.operator().isBlank()) {
                throw new IllegalArgumentException("tollgate.gateway.listings." + id + ".operator is not set: name"
                        + " the operator address the provider's gateways redeem with (channels must name it)");
            }
            if (entry.minRedeemWindow().compareTo(entry.maxRedeemWindow()) > 0) {
                throw new IllegalArgumentException("tollgate.gateway.listings." + id + ".min-redeem-window "
                        + entry.minRedeemWindow() + " exceeds max-redeem-window " + entry.maxRedeemWindow());
            }
            entry.unit(id); // a token without its symbol and decimals is refused here, at startup
        });
    }

    /**
     * @param provider payout address of the provider
     * @param factory the factory channels must come from
     * @param subscribeUrl where consumers subscribe
     * @param prices list price per category, decimal wei
     * @param minimumPrices least price per category every epoch of a channel may hold, decimal wei (optional)
     * @param operator the operator address channels must name (required)
     * @param token the ERC-20 channels must hold (default ether, {@code 0x0…0})
     * @param tokenSymbol the token's symbol as its contract reports it ({@code USDT-demo}); required with a token
     *     other than ether, default {@code ETH}
     * @param tokenDecimals the token's decimals as its contract reports it ({@code 6}); required with a token other
     *     than ether, default 18. Prices and floors are integers of the token's smallest unit either way
     * @param minRedeemWindow the shortest T_r a channel may have
     * @param maxRedeemWindow the longest T_r a channel may have
     * @param minCloseDelay the shortest T_c a channel may have; never less than 2·T_r + 30 s in any case
     * @param walkInPrices one-off (x402 {@code exact}) price per category in the token's smallest unit (optional;
     *     empty: no one-off payments)
     */
    public record ListingEntry(
            String provider,
            String factory,
            URI subscribeUrl,
            @DefaultValue List<Wei> prices,
            @DefaultValue List<Wei> minimumPrices,
            String operator,
            @DefaultValue(ChannelState.ETHER) String token,
            @Nullable String tokenSymbol,
            @Nullable Integer tokenDecimals,
            @DefaultValue("10s") Duration minRedeemWindow,
            @DefaultValue("1d") Duration maxRedeemWindow,
            @DefaultValue("0s") Duration minCloseDelay,
            @DefaultValue List<Wei> walkInPrices) {

        /** What the listing's amounts count; refuses a token other than ether without its symbol and decimals. */
        TokenUnit unit(String id) {
            boolean ether = ChannelState.ETHER.equalsIgnoreCase(token);
            if (tokenSymbol == null && tokenDecimals == null && ether) {
                return TokenUnit.ETHER;
            }
            if (tokenSymbol == null || tokenDecimals == null) {
                throw new IllegalArgumentException("tollgate.gateway.listings." + id + " is paid in " + token
                        + ": set both token-symbol and token-decimals to what the token's contract reports"
                        + " (symbol() and decimals()), so amounts are shown in its units");
            }
            return new TokenUnit(tokenSymbol, tokenDecimals);
        }
    }

    @Override
    public Optional<Listing> find(String listingId) {
        return Optional.ofNullable(listings.get(listingId))
                .map(e -> new Listing(
                        listingId,
                        e.provider().toLowerCase(Locale.ROOT),
                        e.factory().toLowerCase(Locale.ROOT),
                        e.subscribeUrl(),
                        e.prices(),
                        e.operator(),
                        e.token(),
                        e.unit(listingId),
                        new Listing.Admission.Configured(
                                e.minimumPrices(), e.minRedeemWindow(), e.maxRedeemWindow(), e.minCloseDelay()),
                        e.walkInPrices()));
    }
}
