package io.tollgate.gateway.egress;

import io.tollgate.client.ChannelTerms;
import io.tollgate.client.TollgateClient;
import io.tollgate.client.VoucherCounters;
import io.tollgate.client.VoucherSigner;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.payment.PaymentProblem;
import io.tollgate.gateway.payment.ProblemResponder;
import io.tollgate.gateway.payment.Refusal;
import io.tollgate.pricing.Wei;
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
 * price above the consumer's cap (502 problem+json {@code egress-price-above-cap}: nothing signed), reserves the next cumulative count (durable before
 * use), signs the voucher with the consumer's signer key and sends it in {@code Payment-Voucher}. The
 * provider's gateway answers as it would any client; the remaining credit it reports may trigger a top-up.
 */
public class SignGatewayFilterFactory extends AbstractGatewayFilterFactory<SignGatewayFilterFactory.Config> {
    private final ChannelStateCache channels;
    private final VoucherSigner signer;
    private final VoucherCounters counters;
    private final List<Wei> caps;
    private final java.util.Optional<TopUps> topUps;
    private final ProblemResponder problems;

    public SignGatewayFilterFactory(
            ChannelStateCache channels,
            VoucherSigner signer,
            VoucherCounters counters,
            List<Wei> caps,
            java.util.Optional<TopUps> topUps,
            ProblemResponder problems) {
        super(Config.class);
        this.problems = problems;
        this.channels = channels;
        this.signer = signer;
        this.counters = counters;
        this.caps = List.copyOf(caps);
        this.topUps = topUps;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("channel", "category");
    }

    @Override
    public GatewayFilter apply(Config config) {
        if (config.getChannel() == null || !config.getChannel().matches("0x[0-9a-fA-F]{40}")) {
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
                .flatMap(state -> {
                    var terms = new ChannelTerms(
                            channel,
                            state.chainId(),
                            state.activeEpoch(),
                            state.activeTerms().table());
                    Wei price = terms.price(category);
                    if (category < caps.size() && price.compareTo(caps.get(category)) > 0) {
                        return Mono.error(new Refused(new Refusal(
                                PaymentProblem.EGRESS_PRICE_ABOVE_CAP,
                                "price of category " + category + " is " + price + " wei, above the consumer's cap of "
                                        + caps.get(category) + " wei: nothing was signed",
                                java.util.Map.of(
                                        "channel",
                                        channel,
                                        "category",
                                        category,
                                        "priceWei",
                                        price.toString(),
                                        "capWei",
                                        caps.get(category).toString()))));
                    }
                    // the count is forced to disk before it is used: off the event loop
                    return Mono.fromCallable(
                                    () -> signer.sign(terms, category, counters.next(channel, terms.epoch(), category)))
                            .subscribeOn(Schedulers.boundedElastic());
                })
                .flatMap(voucher -> {
                    ServerHttpRequest request = exchange.getRequest()
                            .mutate()
                            .headers(headers -> {
                                headers.set(TollgateClient.VOUCHER_HEADER, voucher);
                                if (!headers.containsHeader(TollgateClient.ORIGIN_HEADER)) {
                                    headers.set(TollgateClient.ORIGIN_HEADER, channel);
                                }
                            })
                            .build();
                    topUps.ifPresent(t -> exchange.getResponse().beforeCommit(() -> {
                        String credit =
                                exchange.getResponse().getHeaders().getFirst(TollgateClient.REMAINING_CREDIT_HEADER);
                        if (credit != null && credit.matches("\\d{1,78}")) {
                            t.observe(channel, Wei.parse(credit));
                        }
                        return Mono.empty();
                    }));
                    return chain.filter(exchange.mutate().request(request).build());
                })
                .onErrorResume(Refused.class, refused -> problems.respond(exchange, refused.refusal));
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
