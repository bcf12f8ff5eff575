package io.tollgate.marketplace.upgrade;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Upgrade offers of the caller's channels and the consents of their owner (consumer) and payout (provider). */
@RestController
class UpgradeController {
    private final UpgradeOffers offers;

    UpgradeController(UpgradeOffers offers) {
        this.offers = offers;
    }

    record ConsentBody(
            @NotNull @Pattern(regexp = "0x[0-9a-fA-F]{130}", message = "a 65-byte signature as 0x and 130 hex digits")
            String signature) {}

    /** The caller's live channels as consumer (owner) or provider (payout): release and open offer of each. */
    @GetMapping("/api/upgrades")
    List<UpgradeOffers.ChannelRelease> mine(
            @RequestParam(defaultValue = "consumer") String role, @AuthenticationPrincipal Jwt caller) {
        return offers.mine(caller.getSubject(), choice(UpgradeOffers.Role.class, "role", role));
    }

    @GetMapping("/api/upgrades/{id}")
    UpgradeOffers.Offer offer(@PathVariable long id, @AuthenticationPrincipal Jwt caller) {
        return offers.offer(id, caller.getSubject());
    }

    /** The owner's ({@code party=owner}) or payout's ({@code party=payout}) signature of the offer's typed data. */
    @PostMapping("/api/upgrades/{id}/consents/{party}")
    UpgradeOffers.Offer consent(
            @PathVariable long id,
            @PathVariable String party,
            @Valid @RequestBody ConsentBody body,
            @AuthenticationPrincipal Jwt caller) {
        return offers.consent(
                id, caller.getSubject(), choice(UpgradeOffers.Party.class, "party", party), body.signature());
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String name, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    name + " must be one of "
                            + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT),
                    Map.of(name, value));
        }
    }
}
