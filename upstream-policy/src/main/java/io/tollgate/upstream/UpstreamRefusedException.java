package io.tollgate.upstream;

import java.net.ConnectException;

/**
 * A connection to an upstream was not made because the {@link UpstreamPolicy} refused every address its host
 * resolved to. A {@link ConnectException}, so HTTP clients fail the exchange before anything is sent.
 */
public final class UpstreamRefusedException extends ConnectException {
    private final transient UpstreamDecision.Refused decision;

    public UpstreamRefusedException(UpstreamDecision.Refused decision) {
        super(decision.detail());
        this.decision = decision;
    }

    public UpstreamDecision.Refused decision() {
        return decision;
    }

    public UpstreamRule rule() {
        return decision.rule();
    }
}
