package io.tollgate.marketplace.negotiation;

import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.VolumeRule;
import io.tollgate.pricing.Wei;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Quotes: consumers ask, providers (or their rules) offer, and the accepted prices bind the channel. */
@RestController
class NegotiationController {
    private static final String WEI = "0|[1-9][0-9]{0,77}";

    private final Negotiations negotiations;

    NegotiationController(Negotiations negotiations) {
        this.negotiations = negotiations;
    }

    record QuoteRequestBody(
            @NotNull @Pattern(regexp = WEI, message = "a decimal amount of wei")
            String depositWei,

            @Min(0) long expectedRequests,

            @Size(max = 16)
            List<@Pattern(regexp = WEI, message = "a decimal amount of wei") String> proposedPricesWei) {}

    record CounterBody(@NotNull @Size(min = 1, max = 16) List<@Pattern(regexp = WEI) String> pricesWei) {}

    record TierBody(
            @NotNull @Pattern(regexp = WEI) String minDepositWei,
            @Min(0) long minRequests,
            @Min(0) @Max(10000) int discountBps) {}

    record RulesBody(
            boolean autoQuote,
            @NotNull @Pattern(regexp = WEI) String minDepositWei,
            @Size(max = 16) List<@Pattern(regexp = WEI) String> floorsWei,
            @Size(max = 8) List<@Valid TierBody> tiers) {}

    @PostMapping("/api/listings/{slug}/negotiations")
    @ResponseStatus(HttpStatus.CREATED)
    Negotiations.View request(
            @PathVariable String slug, @Valid @RequestBody QuoteRequestBody body, @AuthenticationPrincipal Jwt caller) {
        return negotiations.request(
                slug,
                caller.getSubject(),
                Wei.parse(body.depositWei()),
                body.expectedRequests(),
                wei(body.proposedPricesWei()));
    }

    @GetMapping("/api/negotiations")
    List<Negotiations.View> mine(@AuthenticationPrincipal Jwt caller) {
        return negotiations.mine(caller.getSubject());
    }

    @GetMapping("/api/negotiations/{id}")
    Negotiations.View get(@PathVariable long id, @AuthenticationPrincipal Jwt caller) {
        return negotiations.get(id, caller.getSubject());
    }

    @PostMapping("/api/negotiations/{id}/accept")
    Negotiations.View accept(@PathVariable long id, @AuthenticationPrincipal Jwt caller) {
        var view = negotiations.get(id, caller.getSubject());
        var action = view.consumer().equalsIgnoreCase(caller.getSubject())
                ? NegotiationState.Action.CONSUMER_ACCEPT
                : NegotiationState.Action.PROVIDER_ACCEPT;
        return negotiations.act(id, caller.getSubject(), action, List.of());
    }

    @PostMapping("/api/negotiations/{id}/reject")
    Negotiations.View reject(@PathVariable long id, @AuthenticationPrincipal Jwt caller) {
        var view = negotiations.get(id, caller.getSubject());
        var action = view.consumer().equalsIgnoreCase(caller.getSubject())
                ? NegotiationState.Action.CONSUMER_REJECT
                : NegotiationState.Action.PROVIDER_REJECT;
        return negotiations.act(id, caller.getSubject(), action, List.of());
    }

    @PostMapping("/api/negotiations/{id}/counter")
    Negotiations.View counter(
            @PathVariable long id, @Valid @RequestBody CounterBody body, @AuthenticationPrincipal Jwt caller) {
        return negotiations.act(
                id, caller.getSubject(), NegotiationState.Action.PROVIDER_COUNTER, wei(body.pricesWei()));
    }

    @PutMapping("/api/listings/{slug}/rules")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void rules(@PathVariable String slug, @Valid @RequestBody RulesBody body, @AuthenticationPrincipal Jwt caller) {
        negotiations.setRules(
                slug,
                caller.getSubject(),
                body.autoQuote(),
                Wei.parse(body.minDepositWei()),
                wei(body.floorsWei()),
                body.tiers() == null
                        ? List.of()
                        : body.tiers().stream()
                                .map(t -> new VolumeRule.Tier(
                                        Wei.parse(t.minDepositWei()),
                                        t.minRequests(),
                                        new BasisPoints(t.discountBps())))
                                .toList());
    }

    private static List<Wei> wei(List<String> values) {
        return values == null ? List.of() : values.stream().map(Wei::parse).toList();
    }
}
