package io.tollgate.upstream;

import java.net.URI;

/** What the {@link UpstreamPolicy} says about an upstream URL or an address about to be dialled. */
public sealed interface UpstreamDecision {

    /** The URL (or address) may be used. */
    record Allowed(URI uri) implements UpstreamDecision {}

    /**
     * Refused: {@code detail} names the value, the rule and how an operator allows it, e.g. "169.254.169.254 is a
     * link-local/metadata address (cloud instance metadata service); allow it with
     * tollgate.upstreams.allow-networks=169.254.169.254/32".
     */
    record Refused(UpstreamRule rule, String detail) implements UpstreamDecision {}
}
