package io.tollgate.marketplace.sla;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.protocol.Address;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * SLA pages: a channel's terms, collateral and windows for its consumer, its provider and operators; the caller's
 * channels with SLA terms; and the public feed monitors poll to learn what to measure.
 */
@RestController
class SlaController {

    private final SlaChannels channels;

    SlaController(SlaChannels channels) {
        this.channels = channels;
    }

    /**
     * The channels a monitor should measure: active subscriptions' channels with SLA terms, not closed, with their
     * listing (whose gateway rows count), probe URL, first window and window length. Public, like the gateways'
     * route feed: channel addresses and their terms are on chain anyway.
     */
    @GetMapping("/api/sla/monitoring")
    List<SlaChannels.Watch> monitoring(@RequestParam(required = false) String monitor) {
        return channels.watches(monitor == null ? null : address("monitor", monitor));
    }

    /** The caller's channels with SLA terms, as consumer or as provider. */
    @GetMapping("/api/sla/channels")
    List<SlaChannels.Summary> mine(@AuthenticationPrincipal Jwt caller) {
        return channels.of(caller.getSubject().toLowerCase(Locale.ROOT));
    }

    /** A channel's SLA: terms, collateral and the last {@code windows} ended windows (1 to 1000, default 30). */
    @GetMapping("/api/sla/channels/{channel}")
    SlaChannels.ChannelView channel(
            @PathVariable String channel,
            @RequestParam(defaultValue = "30") int windows,
            @AuthenticationPrincipal Jwt caller) {
        if (windows < 1 || windows > 1000) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "windows must be between 1 and 1000, not " + windows,
                    Map.of("windows", windows));
        }
        String address = address("channel", channel);
        var found = channels.channel(address)
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND,
                        "no subscription's channel " + address + " has SLA terms: GET /api/sla/channels lists yours",
                        Map.of("channel", address)));
        String subject = caller.getSubject().toLowerCase(Locale.ROOT);
        boolean operator = caller.getClaimAsStringList("roles") != null
                && caller.getClaimAsStringList("roles").contains("operator");
        if (!subject.equals(found.consumer()) && !subject.equals(found.provider()) && !operator) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    "channel " + address + " is between " + found.consumer() + " and " + found.provider()
                            + ": only they (and operators) see its SLA",
                    Map.of("channel", address));
        }
        return channels.view(found, windows);
    }

    private static String address(String what, String value) {
        if (!Address.isAddress(value)) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST, what + " must be an address 0x + 40 hex digits", Map.of(what, value));
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
