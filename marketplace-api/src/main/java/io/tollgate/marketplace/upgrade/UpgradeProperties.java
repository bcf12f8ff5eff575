package io.tollgate.marketplace.upgrade;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Upgrade offers of live channels.
 *
 * @param consentValidity how long after an offer is made (in chain time) its consents may be sent: the deadline
 *     both parties sign; after it the offer expires and a new one, with a new deadline, is made
 */
@Validated
@ConfigurationProperties("tollgate.upgrades")
public record UpgradeProperties(@DefaultValue("7d") Duration consentValidity) {
    public UpgradeProperties {
        if (consentValidity.isNegative() || consentValidity.isZero()) {
            throw new IllegalArgumentException(
                    "tollgate.upgrades.consent-validity must be positive: " + consentValidity);
        }
    }
}
