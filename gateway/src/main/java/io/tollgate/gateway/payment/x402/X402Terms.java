package io.tollgate.gateway.payment.x402;

import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.payment.PaymentRequest;
import io.tollgate.gateway.voucher.VoucherReader;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Headers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * A route's x402 {@code PaymentRequired}: {@code x402Version} 2, the {@code resource} (the request's URL) and the
 * {@code accepts} entries: always {@code tollgate-channel} (the route category's list price, and in {@code extra}
 * what a client needs to subscribe and sign vouchers; with a {@code Payment-Channel} header naming a known channel,
 * that channel's active epoch and price table), and {@code exact} when the listing has a walk-in price for the
 * category, this gateway can settle, and the token's EIP-712 domain is known (its {@code extra.name} and
 * {@code extra.version}).
 */
final class X402Terms {
    private final long chainId;
    private final ChannelStateCache channels;
    private final TokenDomains domains;
    private final long maxTimeoutSeconds;
    private final boolean exactAccepted;

    X402Terms(
            long chainId,
            ChannelStateCache channels,
            TokenDomains domains,
            long maxTimeoutSeconds,
            boolean exactAccepted) {
        this.chainId = chainId;
        this.channels = channels;
        this.domains = domains;
        this.maxTimeoutSeconds = maxTimeoutSeconds;
        this.exactAccepted = exactAccepted;
    }

    String network() {
        return X402.network(chainId);
    }

    long maxTimeoutSeconds() {
        return maxTimeoutSeconds;
    }

    /** The {@code PaymentRequired} object; {@code error} left out when empty. */
    Mono<Map<String, Object>> paymentRequired(PaymentRequest request, Optional<String> error) {
        return Mono.zip(channelEntry(request), exactEntry(request)).map(entries -> {
            var accepts = new ArrayList<Map<String, Object>>();
            accepts.add(entries.getT1());
            entries.getT2().ifPresent(accepts::add);
            var required = new LinkedHashMap<String, Object>();
            required.put("x402Version", X402.VERSION);
            error.ifPresent(e -> required.put("error", e));
            required.put("resource", Map.of("url", request.http().getURI().toString()));
            required.put("accepts", accepts);
            return required;
        });
    }

    /** The {@code exact} entry of the route, when it has one (its domain is read from the chain once). */
    Mono<Optional<Map<String, Object>>> exactEntry(PaymentRequest request) {
        Listing listing = request.listing();
        Optional<Wei> price = listing.walkInPrice(request.category());
        if (!exactAccepted || price.isEmpty() || Address.ZERO.value().equals(listing.token())) {
            return Mono.just(Optional.empty());
        }
        return domains.of(listing.token())
                .map(domain -> domain.map(d -> {
                    var entry = entry(X402.EXACT, listing, price.get());
                    entry.put("extra", Map.of("name", d.name(), "version", d.version()));
                    return entry;
                }));
    }

    private Mono<Map<String, Object>> channelEntry(PaymentRequest request) {
        Listing listing = request.listing();
        var extra = new LinkedHashMap<String, Object>();
        extra.put("listing", listing.id());
        extra.put("category", request.category());
        extra.put("factory", listing.factory());
        extra.put("operator", listing.operator());
        extra.put("prices", listing.listPrices().stream().map(Object::toString).toList());
        extra.put("priceTableHash", listing.listPriceTableHashHex());
        extra.put("subscribeUrl", String.valueOf(listing.subscribeUrl()));
        if (listing.admission() instanceof Listing.Admission.Subscribed(var redeemWindow, var closeDelay)) {
            extra.put("redeemWindowSeconds", redeemWindow.toSeconds());
            extra.put("closeDelaySeconds", closeDelay.toSeconds());
        }
        extra.put("voucherHeader", VoucherReader.HEADER);
        Wei price = request.category() < listing.listPrices().size()
                ? listing.listPrices().get(request.category())
                : Wei.ZERO;
        var entry = entry(X402.TOLLGATE_CHANNEL, listing, price);
        entry.put("extra", extra);
        String hint = request.http().getHeaders().getFirst(Headers.CHANNEL);
        if (!Address.isAddress(hint)) {
            return Mono.just(entry);
        }
        return channels.lookup(hint.toLowerCase(Locale.ROOT))
                .map(lookup -> {
                    if (lookup instanceof ChannelLookup.Found(var state)) {
                        extra.put("channel", state.channel());
                        extra.put("activeEpoch", state.activeEpoch());
                        extra.put(
                                "channelPrices",
                                state.activeTerms().prices().stream()
                                        .map(Object::toString)
                                        .toList());
                        extra.put("channelPriceTableHash", state.activeTerms().priceTableHashHex());
                    }
                    return entry;
                })
                .onErrorReturn(entry);
    }

    private Map<String, Object> entry(String scheme, Listing listing, Wei amount) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("scheme", scheme);
        entry.put("network", network());
        entry.put("asset", listing.token());
        entry.put("amount", amount.toString());
        entry.put("payTo", listing.provider());
        entry.put("maxTimeoutSeconds", maxTimeoutSeconds);
        return entry;
    }

    static List<String> schemes() {
        return List.of(X402.TOLLGATE_CHANNEL, X402.EXACT);
    }
}
