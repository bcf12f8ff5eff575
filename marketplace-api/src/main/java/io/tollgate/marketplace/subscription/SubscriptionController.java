package io.tollgate.marketplace.subscription;

import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.settings.ChainProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

@RestController
class SubscriptionController {
    private final Subscriptions subscriptions;

    SubscriptionController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    record SubscribeBody(
            @NotNull @Pattern(regexp = Address.REGEX, message = "an 0x-address")
            String signer,

            @NotNull @Pattern(regexp = "0|[1-9][0-9]{0,77}", message = "a decimal amount of wei")
            String depositWei) {}

    record ChannelBody(
            @NotNull @Pattern(regexp = Address.REGEX, message = "an 0x-address")
            String channel) {}

    /** The factory call to sign with the consumer's wallet for an accepted negotiation. */
    @PostMapping("/api/negotiations/{id}/subscription")
    @ResponseStatus(HttpStatus.CREATED)
    Subscriptions.PreparedCall subscribe(
            @PathVariable long id, @Valid @RequestBody SubscribeBody body, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.prepare(id, caller.getSubject(), body.signer(), Wei.parse(body.depositWei()));
    }

    /** After the wallet's transaction: the created channel, verified on chain, activates the subscription. */
    @PostMapping("/api/subscriptions/{id}/channel")
    Subscriptions.View activate(
            @PathVariable long id, @Valid @RequestBody ChannelBody body, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.activate(id, caller.getSubject(), body.channel());
    }

    /**
     * A channel the consumer created outside the web UI (own wallet or script, through the factory) for an accepted
     * negotiation: verified on chain like one the web UI prepared, then active.
     */
    @PostMapping("/api/negotiations/{id}/channel")
    Subscriptions.View register(
            @PathVariable long id, @Valid @RequestBody ChannelBody body, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.register(id, caller.getSubject(), body.channel());
    }

    @GetMapping("/api/subscriptions")
    List<Subscriptions.View> mine(@AuthenticationPrincipal Jwt caller) {
        return subscriptions.mine(caller.getSubject());
    }

    @Configuration(proxyBeanMethods = false)
    static class Chain {
        @Bean(destroyMethod = "shutdown")
        Web3j web3j(ChainProperties settings) {
            return Web3j.build(new HttpService(settings.rpcUrl()));
        }
    }
}
