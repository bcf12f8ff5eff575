package io.tollgate.upstream;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which upstreams a provider may point Tollgate at. A provider's upstream URL is untrusted input: without this, a
 * listing whose upstream is {@code http://127.0.0.1:8545} or {@code http://169.254.169.254} turns the gateway (and the
 * monitor) into a proxy to whatever they can reach. One implementation, used when a listing is saved
 * ({@link #checkUrl}), when the gateway connects and when a monitor probes ({@link #checkAddress} on the address
 * actually dialled, so a DNS answer that changes after the listing was saved does not get around it).
 *
 * <p>Refused: schemes other than http(s), user info, a missing host, and addresses that are loopback, unspecified,
 * private (RFC 1918), shared (CGNAT), link-local, unique-local, multicast, broadcast, reserved or a cloud metadata
 * service, also when written as IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6. The operator lifts the address rules
 * for networks ({@value #ALLOW_NETWORKS}, CIDR) or hosts ({@value #ALLOW_HOSTS}, exact names or {@code *.suffix}).
 */
public final class UpstreamPolicy {
    /** The setting, the same in the marketplace, gateway and monitor, naming the networks an upstream may be in. */
    public static final String ALLOW_NETWORKS = "tollgate.upstreams.allow-networks";
    /** The setting naming host names whose addresses are not checked. */
    public static final String ALLOW_HOSTS = "tollgate.upstreams.allow-hosts";

    /** Checked in order: the first match names the rule (metadata before link-local, broadcast before reserved). */
    private static final Map<UpstreamRule, List<Cidr>> NETWORKS = networks();

    private final List<Cidr> allowNetworks;
    private final List<String> allowHosts;
    private final HostResolver resolver;

    public UpstreamPolicy(List<Cidr> allowNetworks, List<String> allowHosts, HostResolver resolver) {
        this.allowNetworks = List.copyOf(allowNetworks);
        this.allowHosts = allowHosts.stream()
                .map(String::strip)
                .filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT))
                .toList();
        this.resolver = resolver;
    }

    /** From the two settings' values (CIDR networks and host names), with the system resolver. */
    public static UpstreamPolicy of(List<String> allowNetworks, List<String> allowHosts) {
        return of(allowNetworks, allowHosts, HostResolver.SYSTEM);
    }

    public static UpstreamPolicy of(List<String> allowNetworks, List<String> allowHosts, HostResolver resolver) {
        return new UpstreamPolicy(
                allowNetworks.stream()
                        .filter(n -> !n.isBlank())
                        .map(Cidr::parse)
                        .toList(),
                allowHosts,
                resolver);
    }

    /** Refuses every address rule, allows nothing extra. */
    public static UpstreamPolicy strict() {
        return of(List.of(), List.of());
    }

    public HostResolver resolver() {
        return resolver;
    }

    /**
     * Checks an upstream URL as a listing is saved: its form, then every address its host resolves to now. A host that
     * does not resolve here is allowed (gateways and monitors check the addresses they dial, each time).
     */
    public UpstreamDecision checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            return new UpstreamDecision.Refused(UpstreamRule.MALFORMED, "'" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new UpstreamDecision.Refused(
                    UpstreamRule.SCHEME,
                    "'" + (scheme.isEmpty() ? url : scheme + ":") + "' is refused: "
                            + UpstreamRule.SCHEME.description());
        }
        if (uri.getRawUserInfo() != null
                || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return new UpstreamDecision.Refused(UpstreamRule.USER_INFO, UpstreamRule.USER_INFO.description());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return new UpstreamDecision.Refused(
                    UpstreamRule.HOST_MISSING, UpstreamRule.HOST_MISSING.description() + ": '" + url + "'");
        }
        String bare = bare(host);
        if (isAllowedHost(bare)) {
            return new UpstreamDecision.Allowed(uri);
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return new UpstreamDecision.Allowed(uri);
        }
        for (InetAddress address : addresses) {
            if (checkAddress(bare, address) instanceof UpstreamDecision.Refused refused) {
                return refused;
            }
        }
        return new UpstreamDecision.Allowed(uri);
    }

    /**
     * Checks an address about to be dialled for {@code host} (the name in the URL, or the literal itself).
     *
     * @return allowed when the host is an allowed host, the address lies in an allowed network, or no rule refuses it
     */
    public UpstreamDecision checkAddress(String host, InetAddress address) {
        String bare = bare(host);
        URI uri = URI.create("//"
                + (address instanceof Inet4Address ? address.getHostAddress() : "[" + address.getHostAddress() + "]"));
        if (isAllowedHost(bare) || allowNetworks.stream().anyMatch(n -> n.contains(address))) {
            return new UpstreamDecision.Allowed(uri);
        }
        Optional<Classified> refused = classify(address);
        if (refused.isEmpty()) {
            return new UpstreamDecision.Allowed(uri);
        }
        Classified c = refused.get();
        String literal = address.getHostAddress();
        String what = isLiteral(bare) ? bare : bare + " resolves to " + literal + ", which";
        String network = literal + (address instanceof Inet4Address ? "/32" : "/128");
        String detail = what + " is " + c.rule().description() + c.note() + "; allow it with " + ALLOW_NETWORKS + "="
                + network + (isLiteral(bare) ? "" : " or " + ALLOW_HOSTS + "=" + bare);
        return new UpstreamDecision.Refused(c.rule(), detail);
    }

    /**
     * Resolves {@code host} and keeps the addresses this policy allows, for a connection about to be made.
     *
     * @throws UpstreamRefusedException when every address is refused (the first refusal says why)
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> allowedAddresses(String host) throws UnknownHostException, UpstreamRefusedException {
        String bare = bare(host);
        List<InetAddress> allowed = new ArrayList<>();
        UpstreamDecision.Refused first = null;
        for (InetAddress address : resolver.resolve(bare)) {
            switch (checkAddress(bare, address)) {
                case UpstreamDecision.Allowed a -> allowed.add(address);
                case UpstreamDecision.Refused r -> first = first == null ? r : first;
            }
        }
        if (allowed.isEmpty()) {
            throw new UpstreamRefusedException(
                    first != null
                            ? first
                            : new UpstreamDecision.Refused(
                                    UpstreamRule.UNRESOLVABLE, bare + ": " + UpstreamRule.UNRESOLVABLE.description()));
        }
        return List.copyOf(allowed);
    }

    /** Which rule, if any, refuses this address regardless of configuration. */
    public static Optional<UpstreamRule> ruleFor(InetAddress address) {
        return classify(address).map(Classified::rule);
    }

    private record Classified(UpstreamRule rule, String note) {}

    private static Optional<Classified> classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        Optional<UpstreamRule> direct = match(bytes);
        if (direct.isPresent()) {
            return direct.map(r -> new Classified(r, ""));
        }
        if (bytes.length == 16) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                Optional<UpstreamRule> inner = match(embedded);
                if (inner.isPresent()) {
                    String v4 = (embedded[0] & 0xff) + "." + (embedded[1] & 0xff) + "." + (embedded[2] & 0xff) + "."
                            + (embedded[3] & 0xff);
                    return inner.map(r -> new Classified(r, " (the IPv6 form of " + v4 + ")"));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<UpstreamRule> match(byte[] bytes) {
        for (var entry : NETWORKS.entrySet()) {
            for (Cidr network : entry.getValue()) {
                if (network.contains(bytes)) {
                    return Optional.of(entry.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= b[i] == 0;
        }
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0;
        boolean nat64 =
                (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; i < 12 && nat64; i++) {
            nat64 = b[i] == 0;
        }
        if (mapped || compatible || nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }

    private boolean isAllowedHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return allowHosts.stream()
                .anyMatch(h -> h.equals(name) || (h.startsWith("*.") && name.endsWith(h.substring(1))));
    }

    private static String bare(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static Map<UpstreamRule, List<Cidr>> networks() {
        var map = new java.util.LinkedHashMap<UpstreamRule, List<Cidr>>();
        map.put(
                UpstreamRule.METADATA,
                cidrs(
                        "169.254.169.254/32", // AWS, GCP, Azure, OpenStack, DigitalOcean, ...
                        "169.254.170.2/32", // AWS ECS task credentials
                        "100.100.100.200/32", // Alibaba Cloud
                        "192.0.0.192/32", // Oracle Cloud
                        "fd00:ec2::254/128")); // AWS IPv6
        map.put(UpstreamRule.UNSPECIFIED, cidrs("0.0.0.0/8", "::/128"));
        map.put(UpstreamRule.LOOPBACK, cidrs("127.0.0.0/8", "::1/128"));
        map.put(UpstreamRule.PRIVATE, cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fec0::/10"));
        map.put(UpstreamRule.CGNAT, cidrs("100.64.0.0/10"));
        map.put(UpstreamRule.LINK_LOCAL, cidrs("169.254.0.0/16", "fe80::/10"));
        map.put(UpstreamRule.UNIQUE_LOCAL, cidrs("fc00::/7"));
        map.put(UpstreamRule.MULTICAST, cidrs("224.0.0.0/4", "ff00::/8"));
        map.put(UpstreamRule.BROADCAST, cidrs("255.255.255.255/32"));
        map.put(UpstreamRule.RESERVED, cidrs("240.0.0.0/4", "192.0.0.0/24", "198.18.0.0/15", "100::/64"));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static List<Cidr> cidrs(String... networks) {
        return java.util.Arrays.stream(networks).map(Cidr::parse).toList();
    }
}
