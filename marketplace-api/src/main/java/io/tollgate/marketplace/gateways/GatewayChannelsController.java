package io.tollgate.marketplace.gateways;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.marketplace.subscription.SubscriptionState;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.AgreedChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agreed terms of a channel, for gateways only (the gateway credential, see {@code ServiceCredentials}): a
 * gateway serves a channel on a listing's routes only when the marketplace verified it as an active subscription
 * of that listing, and only while its on-chain terms are these ({@link AgreedChannel}, the protocol's wire record).
 */
@RestController
class GatewayChannelsController {
    private static final String ETHER = Address.ZERO.value();

    private final JdbcTemplate jdbc;

    GatewayChannelsController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/gateway/channels/{address}")
    @Transactional(readOnly = true)
    AgreedChannel channel(@PathVariable String address) {
        if (!Address.isAddress(address)) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST, "'" + address + "' is not an 0x-address of 40 hex digits", Map.of());
        }
        String channel = address.toLowerCase(Locale.ROOT);
        return jdbc
                .query(
                        """
                        select s.channel_address, l.slug, s.consumer_address, p.payout_address,
                               coalesce(p.operator_address, p.payout_address), s.token_address, n.prices_wei::text[],
                               s.redeem_window_seconds, s.close_delay_seconds, s.state
                        from subscription s join negotiation n on n.id = s.negotiation_id
                             join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                        where s.channel_address = ? and s.state = ?
                              and s.redeem_window_seconds is not null and s.close_delay_seconds is not null""",
                        (rs, n) -> new AgreedChannel(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4).toLowerCase(Locale.ROOT),
                                rs.getString(5).toLowerCase(Locale.ROOT),
                                rs.getString(6) == null ? ETHER : rs.getString(6),
                                Arrays.asList((String[]) rs.getArray(7).getArray()),
                                rs.getLong(8),
                                rs.getLong(9),
                                rs.getString(10)),
                        channel,
                        SubscriptionState.ACTIVE.name())
                .stream()
                .findFirst()
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.CHANNEL_NOT_SUBSCRIBED,
                        "channel " + channel + " is no active subscription verified by this marketplace: its consumer "
                                + "subscribes in the web UI, or registers a channel made elsewhere with POST "
                                + "/api/negotiations/{id}/channel",
                        Map.of("channel", channel)));
    }
}
