package io.tollgate.gateway.payment;

import io.tollgate.gateway.listing.MarketplaceProperties;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.AgreedChannel;
import java.time.Duration;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * {@link AgreementSource} over the marketplace's {@code GET /api/gateway/channels/{address}} ({@link AgreedChannel}), sent with the
 * gateway credential ({@code Authorization: Bearer …}, never logged): 200 is the agreed terms of an active
 * verified subscription, 404 is "not subscribed"; anything else (401, 5xx, a timeout, no connection) is an
 * error: the marketplace is unavailable.
 */
public final class MarketplaceAgreementSource implements AgreementSource {

    private final WebClient web;
    private final Duration timeout;

    public MarketplaceAgreementSource(WebClient.Builder web, MarketplaceProperties properties) {
        this.web = MarketplaceProperties.authorized(web, properties).build();
        this.timeout = properties.requestTimeout();
    }

    @Override
    public Mono<Agreement> read(String channel) {
        return web.get()
                .uri("/api/gateway/channels/{address}", channel)
                .header(HttpHeaders.ACCEPT, "application/json")
                .exchangeToMono(response -> {
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return response.releaseBody().thenReturn((Agreement) new Agreement.NotSubscribed());
                    }
                    if (!response.statusCode().is2xxSuccessful()) {
                        return response.releaseBody()
                                .then(Mono.error(new IllegalStateException("the marketplace answered "
                                        + response.statusCode().value() + " for channel " + channel)));
                    }
                    return response.bodyToMono(AgreedChannel.class).map(wire -> agreement(channel, wire));
                })
                .timeout(timeout);
    }

    private static Agreement agreement(String channel, AgreedChannel wire) {
        if (!channel.equalsIgnoreCase(wire.channel())) {
            throw new IllegalStateException(
                    "the marketplace answered for channel " + wire.channel() + " when asked for " + channel);
        }
        if (!AgreedChannel.ACTIVE.equals(wire.state())) {
            return new Agreement.NotSubscribed();
        }
        return new Agreement.Confirmed(new AgreedTerms(
                wire.channel(),
                wire.listing(),
                wire.consumer(),
                wire.payout(),
                wire.operator(),
                wire.token().toLowerCase(Locale.ROOT),
                wire.floors().stream().map(Wei::parse).toList(),
                Duration.ofSeconds(wire.redeemWindowSeconds()),
                Duration.ofSeconds(wire.closeDelaySeconds())));
    }
}
