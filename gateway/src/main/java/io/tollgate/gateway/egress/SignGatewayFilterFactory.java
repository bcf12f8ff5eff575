package io.tollgate.gateway.egress;

import io.tollgate.client.ChannelTerms;
import io.tollgate.client.VoucherCounters;
import io.tollgate.client.VoucherSigner;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.ProblemResponder;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Headers;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Egress mode: {@code - Sign=<channel>, <category>} pays for each request a consumer's service sends out
 * through this route. It reads the channel's active epoch and prices from the chain-state cache, refuses a
 * price above the consumer's cap (502 problem+json {@code egress-price-above-cap}: nothing signed; a category
 * without a configured cap is capped at the channel's epoch-1 price, the one the consumer agreed to, as the
 * Java client does), reserves the next cumulative count (durable before use), signs the voucher with the consumer's signer key and sends it in {@code Payment-Voucher}. The
 * provider's gateway answers as it would any client; the remaining credit it reports may trigger a top-up.
 */
public class SignGatewayFilterFactory extends AbstractGatewayFilterFactory<SignGatewayFilterFactory.Config> {
    private final ChannelStateCache channels;
    private final VoucherSigner signer;
    private final VoucherCounters counters;
    private final java.util.Map<String, List<Wei>> caps;
    private final java.util.Map<String, TokenUnit> units;
    private final java.util.Optional<TopUps> topUps;
    private final ProblemResponder problems;
    private final java.util.function.Function<String, Mono<PriceTable>> epochOnePrices;
    /** Each channel's epoch-1 prices (fixed at creation). */
    private final java.util.Map<String, PriceTable> agreed = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param caps the consumer's configured caps per category, by token address (lower case; {@link
     *     ChannelState#ETHER} for ether), in that token's smallest unit; a category beyond them (or a channel whose
     *     token has none) is capped at the channel's epoch-1 price
     * @param units what each configured token's amounts count, for messages (ether when missing)
     * @param epochOnePrices reads a channel's epoch-1 price table from the chain (asked once per channel, and
     *     only once the channel has left epoch 1)
     */
    public SignGatewayFilterFactory(
            ChannelStateCache channels,
            VoucherSigner signer,
            VoucherCounters counters,
            java.util.Map<String, List<Wei>> caps,
            java.util.Map<String, TokenUnit> units,
            java.util.Optional<TopUps> topUps,
            ProblemResponder problems,
            java.util.function.Function<String, Mono<PriceTable>> epochOnePrices) {
        super(Config.class);
        this.epochOnePrices = epochOnePrices;
        this.problems = problems;
        this.channels = channels;
        this.signer = signer;
        this.counters = counters;
        this.caps = java.util.Map.copyOf(caps);
        this.units = java.util.Map.copyOf(units);
        this.topUps = topUps;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("channel", "category");
    }

    @Override
    public GatewayFilter apply(Config config) {
        if (config.getChannel() == null || !Address.isAddress(config.getChannel())) {
            throw new IllegalArgumentException("Sign needs a channel address: - Sign=<0x…channel>[, <category>]");
        }
        String channel = config.getChannel().toLowerCase(Locale.ROOT);
        int category = config.getCategory() == null ? 0 : config.getCategory();
        return (exchange, chain) -> channels.lookup(channel)
                .flatMap(lookup -> switch (lookup) {
                    case ChannelLookup.Found found -> Mono.just(found.state());
                    case ChannelLookup.Refused refused ->
                        Mono.error(new Refused(new Refusal(
                                PaymentProblem.EGRESS_CHANNEL_REFUSED,
                                "channel " + channel + " cannot pay: " + refused.reason(),
                                java.util.Map.of("channel", channel))));
                })
                .flatMap(state -> cap(channel, category, state).map(cap -> java.util.Map.entry(state, cap)))
                .flatMap(stateAndCap -> {
                    var state = stateAndCap.getKey();
                    Wei cap = stateAndCap.getValue();
                    var terms = new ChannelTerms(
                            channel,
                            state.chainId(),
                            state.activeEpoch(),
                            state.activeTerms().table());
                    Wei price = terms.price(category);
                    if (price.compareTo(cap) > 0) {
                        TokenUnit unit = units.getOrDefault(state.token(), TokenUnit.ETHER);
                        return Mono.error(new Refused(new Refusal(
                                PaymentProblem.EGRESS_PRICE_ABOVE_CAP,
                                "price of category " + category + " is " + TopUps.amount(price, unit)
                                        + ", above the consumer's cap of " + TopUps.amount(cap, unit)
                                        + (category < capsOf(state).size() ? "" : " (the channel's epoch-1 price)")
                                        + ": nothing was signed",
                                java.util.Map.of(
                                        "channel",
                                        channel,
                                        "category",
                                        category,
                                        "priceWei",
                                        price.toString(),
                                        "capWei",
                                        cap.toString()))));
                    }
                    var unfunded = topUps.flatMap(t -> t.cannotPay(channel, category, price, state.creditLimit()));
                    if (unfunded.isPresent()) {
                        return Mono.error(new Refused(unfunded.get()));
                    }
                    // the count is forced to disk before it is used: off the event loop
                    return Mono.fromCallable(
                                    () -> signer.sign(terms, category, counters.next(channel, terms.epoch(), category)))
                            .subscribeOn(Schedulers.boundedElastic())
                            .map(voucher -> java.util.Map.entry(voucher, state));
                })
                .flatMap(signed -> {
                    String voucher = signed.getKey();
                    ServerHttpRequest request = exchange.getRequest()
                            .mutate()
                            .headers(headers -> {
                                headers.set(Headers.VOUCHER, voucher);
                                if (!headers.containsHeader(Headers.ORIGIN)) {
                                    headers.set(Headers.ORIGIN, channel);
                                }
                            })
                            .build();
                    topUps.ifPresent(t -> exchange.getResponse().beforeCommit(() -> {
                        String credit = exchange.getResponse().getHeaders().getFirst(Headers.REMAINING_CREDIT);
                        if (credit != null && credit.matches("\\d{1,78}")) {
                            t.observe(signed.getValue(), Wei.parse(credit));
                        }
                        return Mono.empty();
                    }));
                    return chain.filter(exchange.mutate().request(request).build());
                })
                .onErrorResume(Refused.class, refused -> problems.respond(exchange, refused.refusal));
    }

    /** The caps configured for the channel's token (an ether cap never caps a token channel). */
    private List<Wei> capsOf(ChannelState state) {
        return caps.getOrDefault(state.token(), List.of());
    }

    /**
     * The cap of a category: the one configured for the channel's token, else the channel's epoch-1 price (0 if it
     * has none).
     */
    private Mono<Wei> cap(String channel, int category, ChannelState state) {
        List<Wei> configured = capsOf(state);
        if (category < configured.size()) {
            return Mono.just(configured.get(category));
        }
        Mono<PriceTable> first;
        PriceTable known = agreed.get(channel);
        if (known != null) {
            first = Mono.just(known);
        } else if (state.terms(1).isPresent()) {
            first = Mono.just(state.terms(1).get().table());
        } else {
            first = epochOnePrices.apply(channel).doOnNext(table -> agreed.put(channel, table));
        }
        return first.map(table -> table.has(category) ? table.price(category) : Wei.ZERO);
    }

    /** An expected refusal, carried to the problem+json answer. */
    private static final class Refused extends RuntimeException {
        private final Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.detail(), null, false, false);
            this.refusal = refusal;
        }
    }

    public static class Config {
        private @Nullable String channel;
        private @Nullable Integer category;

        public @Nullable String getChannel() {
            return channel;
        }

        public Config setChannel(String channel) {
            this.channel = channel;
            return this;
        }

        public @Nullable Integer getCategory() {
            return category;
        }

        public Config setCategory(Integer category) {
            if (category < 0 || category > 15) {
                throw new IllegalArgumentException("category must be 0..15: " + category);
            }
            this.category = category;
            return this;
        }
    }
}
