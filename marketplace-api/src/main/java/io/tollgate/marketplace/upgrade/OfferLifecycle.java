package io.tollgate.marketplace.upgrade;

import io.tollgate.marketplace.upgrade.UpgradeChain.OnChain;
import io.tollgate.marketplace.upgrade.UpgradeOffers.OfferState;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.web3j.utils.Numeric;

/**
 * An offer follows its channel: done when the channel runs the target, stale when its nonce or implementation moved
 * another way, expired when the chain's time passed the deadline; a channel on an older release than the factory's
 * latest, open and without an open offer, gets one (deadline: chain time + the consent validity).
 */
@Component
class OfferLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OfferLifecycle.class);

    private final OfferStore store;
    private final UpgradeProperties properties;

    OfferLifecycle(OfferStore store, UpgradeProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /**
     * Brings the channel's offers in line with the chain (one conditional statement per transition) and makes an
     * offer when the channel runs an older release and has none open; returns the open offer.
     */
    Optional<OfferRow> refresh(long subscription, String channel, OnChain now) {
        for (OfferRow open : store.open(channel)) {
            OfferState next;
            if (now.implementation().equals(open.targetImplementation())) {
                next = OfferState.DONE;
            } else if (!now.nonce().equals(open.nonce())
                    || !now.implementation().equals(open.fromImplementation())) {
                next = OfferState.STALE;
            } else if (now.now() > open.deadline()) {
                next = OfferState.EXPIRED;
            } else {
                continue;
            }
            if (store.end(open.id(), next)) {
                log.atInfo()
                        .addKeyValue("channel", channel)
                        .addKeyValue("offer", open.id())
                        .addKeyValue("outcome", next)
                        .log("upgrade offer ended");
            }
        }
        int latest = now.releases().size();
        if (now.release() >= 1
                && now.release() < latest
                && !now.closed()
                && store.open(channel).isEmpty()) {
            Optional<ConsentFormat> format = ConsentFormat.of(now.consentTypehash());
            if (format.isPresent()) {
                boolean made = store.offer(
                        subscription,
                        channel,
                        now.implementation(),
                        now.release(),
                        now.releases().getLast(),
                        latest,
                        Numeric.toHexString(format.get().typehash()),
                        format.get().migrationData(),
                        now.nonce(),
                        now.now() + properties.consentValidity().toSeconds(),
                        now.owner(),
                        now.payout());
                if (made) {
                    log.atInfo()
                            .addKeyValue("channel", channel)
                            .addKeyValue("fromRelease", now.release())
                            .addKeyValue("targetRelease", latest)
                            .log("upgrade offered");
                }
            }
        }
        return store.open(channel).stream().findFirst();
    }
}
