package io.tollgate.gateway.upstream;

import io.tollgate.protocol.Headers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/**
 * {@code UpstreamSecret=<listing>}: the request goes to the upstream with the listing's secret in
 * {@value #HEADER}, so the provider's API can refuse traffic that did not pass a gateway. A client's own value of the
 * header is dropped always; a listing without a secret (none configured) is forwarded without it, and an upstream
 * that checks refuses it. The secret is looked up per
 * request (a rotation reaches the next request after the routes refresh) and never logged; {@link #toString} shows
 * only the listing.
 */
public final class UpstreamSecretGatewayFilterFactory
        extends AbstractGatewayFilterFactory<UpstreamSecretGatewayFilterFactory.Config> {
    public static final String HEADER = Headers.UPSTREAM_SECRET;

    private final Map<String, String> configured;
    private final java.util.function.Supplier<List<UpstreamSecretSource>> sources;
    private volatile List<UpstreamSecretSource> resolved;

    public UpstreamSecretGatewayFilterFactory(
            Map<String, String> configured, java.util.function.Supplier<List<UpstreamSecretSource>> sources) {
        super(Config.class);
        this.configured = Map.copyOf(configured);
        this.sources = sources;
    }

    public static final class Config {
        private String listing;

        public String getListing() {
            return listing;
        }

        public void setListing(String listing) {
            this.listing = listing;
        }
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("listing");
    }

    @Override
    public GatewayFilter apply(Config config) {
        String listing = config.getListing();
        return new GatewayFilter() {
            @Override
            public reactor.core.publisher.Mono<Void> filter(
                    org.springframework.web.server.ServerWebExchange exchange,
                    org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
                Optional<String> secret = secretOf(listing);
                var request = exchange.getRequest()
                        .mutate()
                        .headers(h -> {
                            h.remove(HEADER);
                            secret.ifPresent(value -> h.set(HEADER, value));
                        })
                        .build();
                return chain.filter(exchange.mutate().request(request).build());
            }

            @Override
            public String toString() {
                return "UpstreamSecret[listing=" + listing + "]";
            }
        };
    }

    private Optional<String> secretOf(String listing) {
        List<UpstreamSecretSource> all = resolved;
        if (all == null) {
            all = List.copyOf(sources.get());
            resolved = all;
        }
        for (UpstreamSecretSource source : all) {
            Optional<String> secret = source.upstreamSecret(listing);
            if (secret.isPresent()) {
                return secret;
            }
        }
        return Optional.ofNullable(configured.get(listing)).filter(s -> !s.isBlank());
    }
}
