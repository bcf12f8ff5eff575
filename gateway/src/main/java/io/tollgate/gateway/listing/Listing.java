package io.tollgate.gateway.listing;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A provider's listing as the gateway needs it to ask for payment and to admit channels.
 *
 * @param id the listing id routes name in {@code - Payment=<listing>}
 * @param provider the provider's payout address channels must pay
 * @param factory the Intermediary factory channels must come from
 * @param subscribeUrl where a consumer subscribes (opens a channel)
 * @param listPrices the listed price per category (what the 402 body shows)
 * @param operator the operator key the provider's gateways redeem with, lower-case; channels must name it
 * @param token the ERC-20 channels must hold, lower case ({@code 0x0…0}: ether)
 * @param unit what the listing's amounts count (symbol and decimals of {@code token}; {@link TokenUnit#ETHER} for
 *     ether): every price, floor, deposit and credit of the listing is an integer of its smallest unit
 * @param admission which channels are served: the configured bounds, or the marketplace's agreed terms
 * @param walkInPrices the one-off price per category (x402 {@code exact}, one EIP-3009 authorization per call);
 *     empty: no one-off payments; a category beyond the list or priced 0 takes none
 */
public record Listing(
        String id,
        String provider,
        String factory,
        URI subscribeUrl,
        List<Wei> listPrices,
        String operator,
        String token,
        TokenUnit unit,
        Admission admission,
        List<Wei> walkInPrices) {

    /** The least T_c may exceed 2·T_r by: time for the gateway to notice a close request and finish redeeming. */
    public static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);

    /** A listing without one-off payments. */
    public Listing(
            String id,
            String provider,
            String factory,
            URI subscribeUrl,
            List<Wei> listPrices,
            String operator,
            String token,
            TokenUnit unit,
            Admission admission) {
        this(id, provider, factory, subscribeUrl, listPrices, operator, token, unit, admission, List.of());
    }

    public Listing {
        listPrices = List.copyOf(listPrices);
        walkInPrices = walkInPrices == null ? List.of() : List.copyOf(walkInPrices);
        provider = provider.toLowerCase(Locale.ROOT);
        factory = factory.toLowerCase(Locale.ROOT);
        operator = operator.toLowerCase(Locale.ROOT);
        token = token.toLowerCase(Locale.ROOT);
    }

    /** How a channel's terms are judged on this listing. */
    public sealed interface Admission {

        /**
         * A listing written in YAML: channels are judged against its configuration (no marketplace asked).
         *
         * @param minimumPrices per category, the least every epoch's price table may ask (missing: no floor)
         * @param minRedeemWindow the shortest T_r accepted
         * @param maxRedeemWindow the longest T_r accepted
         * @param minCloseDelay the shortest T_c accepted (never less than 2·T_r + {@link #CLOSE_MARGIN})
         */
        record Configured(
                List<Wei> minimumPrices, Duration minRedeemWindow, Duration maxRedeemWindow, Duration minCloseDelay)
                implements Admission {
            public Configured {
                minimumPrices = List.copyOf(minimumPrices);
                if (minRedeemWindow.compareTo(maxRedeemWindow) > 0) {
                    throw new IllegalArgumentException(
                            "min-redeem-window " + minRedeemWindow + " exceeds max-redeem-window " + maxRedeemWindow);
                }
            }

            /** The floor of {@code category}: zero when none is configured. */
            public Wei minimumPrice(int category) {
                return category < minimumPrices.size() ? minimumPrices.get(category) : Wei.ZERO;
            }
        }

        /**
         * A marketplace listing: a channel is served only as a verified active subscription of this listing,
         * whose agreed terms (floors, T_r, T_c) the marketplace gives per channel.
         *
         * @param redeemWindow the T_r new subscriptions are created with (shown in the 402 body)
         * @param closeDelay the T_c new subscriptions are created with
         */
        record Subscribed(Duration redeemWindow, Duration closeDelay) implements Admission {}
    }

    /** An amount of this listing's token in whole units with its symbol: {@code "0.001 USDT-demo"}. */
    public String describe(Wei amount) {
        return unit.describe(amount.value());
    }

    /** The one-off price of {@code category}, when the listing takes one-off payments for it. */
    public java.util.Optional<Wei> walkInPrice(int category) {
        return category < walkInPrices.size() && !walkInPrices.get(category).isZero()
                ? java.util.Optional.of(walkInPrices.get(category))
                : java.util.Optional.empty();
    }

    public String listPriceTableHashHex() {
        return new PriceTable(listPrices).hashHex();
    }

    /** Whether T_c leaves the gateway time to redeem after a close request: T_c ≥ 2·T_r + {@link #CLOSE_MARGIN}. */
    public static boolean closeDelayIsSafe(Duration redeemWindow, Duration closeDelay) {
        return closeDelay.compareTo(redeemWindow.multipliedBy(2).plus(CLOSE_MARGIN)) >= 0;
    }
}
