package io.tollgate.monitor;

import io.tollgate.settings.Secret;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The submitter: reports windows on chain once they have a quorum of signed reports.
 *
 * @param key the key that sends {@code reportWindow} and pays its gas (env {@code TOLLGATE_SUBMITTER_KEY}); none:
 *     this process submits nothing. Never logged
 * @param collectFor after a window's end, how long to wait for every monitor's report before submitting with a
 *     quorum (a monitor that is down does not hold a window up longer)
 * @param allWindows also submit windows whose median is due no penalty (records every window on chain, costs gas)
 * @param tick how often windows are looked for
 * @param retryAfter a claimed window whose transaction did not confirm is looked at again after this
 * @param giveUpAfter a window still without a quorum this long after its end is no longer looked at
 */
@Validated
@ConfigurationProperties("tollgate.submitter")
public record SubmitterProperties(
        @DefaultValue("") Secret key,
        @DefaultValue("60s") Duration collectFor,
        @DefaultValue("false") boolean allWindows,
        @DefaultValue("5s") Duration tick,
        @DefaultValue("2m") Duration retryAfter,
        @DefaultValue("24h") Duration giveUpAfter) {

    public boolean enabled() {
        return key.isSet();
    }
}
