package io.tollgate.gateway.redemption;

import io.tollgate.gateway.redemption.RedemptionScheduler.Outcome;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/** Channels with nothing left to redeem, and why: left alone from then on (no steps, chain reads or logs). */
final class SettledChannels {

    private static final Logger log = LoggerFactory.getLogger(RedemptionScheduler.class);

    private final Map<String, Outcome> settled = new ConcurrentHashMap<>();

    Optional<Outcome> of(String channel) {
        return Optional.ofNullable(settled.get(channel));
    }

    boolean contains(String channel) {
        return settled.containsKey(channel);
    }

    /** Leaves the channel alone from now on; says so once. */
    Mono<Outcome> settle(String channel, Outcome why) {
        if (settled.putIfAbsent(channel, why) == null) {
            log.atInfo()
                    .addKeyValue("channel", channel)
                    .addKeyValue("outcome", why)
                    .log("nothing left to redeem: leaving the channel alone");
        }
        return Mono.just(why);
    }
}
