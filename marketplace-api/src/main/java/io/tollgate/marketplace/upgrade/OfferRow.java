package io.tollgate.marketplace.upgrade;

import io.tollgate.marketplace.upgrade.UpgradeOffers.OfferState;
import java.math.BigInteger;

/** An upgrade offer as stored ({@link OfferStore}); the consents are 0x-hex signatures, null until given. */
record OfferRow(
        long id,
        long subscription,
        String channel,
        OfferState state,
        String fromImplementation,
        int fromRelease,
        String targetImplementation,
        int targetRelease,
        String consentTypehash,
        String migrationData,
        BigInteger nonce,
        long deadline,
        String owner,
        String payout,
        String ownerConsent,
        String payoutConsent) {}
