package io.tollgate.upstream;

/**
 * The rules an upstream URL or the address it resolves to can break. Each names what it protects, so that a
 * refusal tells the provider (and the operator who may allow it) which rule applied.
 */
public enum UpstreamRule {
    MALFORMED("not a URL"),
    SCHEME("only http and https upstreams are allowed"),
    USER_INFO("an upstream URL must not carry user info (user:password@)"),
    HOST_MISSING("an upstream URL needs a host"),
    UNRESOLVABLE("the host does not resolve to an address"),
    METADATA("a link-local/metadata address (cloud instance metadata service)"),
    UNSPECIFIED("an unspecified (\"this host\") address"),
    LOOPBACK("a loopback address"),
    PRIVATE("a private (RFC 1918) address"),
    CGNAT("a shared (carrier-grade NAT, RFC 6598) address"),
    LINK_LOCAL("a link-local address"),
    UNIQUE_LOCAL("a unique-local (RFC 4193) address"),
    MULTICAST("a multicast address"),
    BROADCAST("the broadcast address"),
    RESERVED("a reserved (IETF protocol, benchmarking or future use) address");

    private final String description;

    UpstreamRule(String description) {
        this.description = description;
    }

    /** What the rule refuses, as a phrase: "a loopback address". */
    public String description() {
        return description;
    }

    /** Whether this rule is about the address a host resolves to (and so can be lifted by allowing a network). */
    public boolean isAddressRule() {
        return ordinal() >= METADATA.ordinal();
    }
}
