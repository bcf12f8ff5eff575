package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The attacker is a provider choosing the upstream URL of a listing. */
class UpstreamPolicyTest {
    private static final InetAddress PUBLIC = address("93.184.216.34");

    private final UpstreamPolicy strict = UpstreamPolicy.of(List.of(), List.of(), UpstreamPolicyTest::offlineDns);

    /** An offline DNS: localhost is loopback, a few names resolve to public or internal addresses. */
    private static List<InetAddress> offlineDns(String host) throws UnknownHostException {
        return switch (host) {
            case "localhost" -> List.of(address("127.0.0.1"), address("::1"));
            case "api.example" -> List.of(PUBLIC);
            case "mixed.example" -> List.of(PUBLIC, address("10.1.2.3"));
            default -> {
                if (host.matches("[0-9a-fA-F:.]+")) {
                    yield List.of(InetAddress.getByName(host));
                }
                throw new UnknownHostException(host);
            }
        };
    }

    @ParameterizedTest(name = "{0} refused: {1}")
    @CsvSource({
        "http://127.0.0.1:8545, LOOPBACK, 127.0.0.1 is a loopback address",
        "http://127.1/, HOST_MISSING, needs a host",
        "http://10.0.0.1, PRIVATE, 10.0.0.1 is a private (RFC 1918) address",
        "http://172.16.5.4, PRIVATE, private",
        "http://192.168.1.1, PRIVATE, private",
        "http://100.64.0.1, CGNAT, carrier-grade NAT",
        "http://169.254.169.254/latest/meta-data, METADATA, 169.254.169.254 is a link-local/metadata address",
        "http://169.254.10.10, LINK_LOCAL, a link-local address",
        "http://[::1]:8080, LOOPBACK, ::1 is a loopback address",
        "http://[fe80::1], LINK_LOCAL, link-local",
        "http://[fd12:3456::1], UNIQUE_LOCAL, unique-local",
        "http://[fd00:ec2::254], METADATA, metadata",
        "http://[::ffff:169.254.169.254], METADATA, metadata",
        "http://[64:ff9b::7f00:1], LOOPBACK, the IPv6 form of 127.0.0.1",
        "http://[2002:a00:1::1], PRIVATE, the IPv6 form of 10.0.0.1",
        "http://224.0.0.1, MULTICAST, multicast",
        "http://[ff02::1], MULTICAST, multicast",
        "http://0.0.0.0:8080, UNSPECIFIED, unspecified",
        "http://[::], UNSPECIFIED, unspecified",
        "http://255.255.255.255, BROADCAST, broadcast",
        "http://localhost:8081, LOOPBACK, localhost resolves to 127.0.0.1, which is a loopback address",
        "http://mixed.example, PRIVATE, mixed.example resolves to 10.1.2.3",
        "http://user:secret@api.example, USER_INFO, user info",
        "http://api.example@127.0.0.1, USER_INFO, user info",
        "ftp://api.example/file, SCHEME, only http and https",
        "file:///etc/passwd, SCHEME, only http and https",
        "gopher://127.0.0.1:6379/_FLUSHALL, SCHEME, only http and https",
        "http:///path, HOST_MISSING, needs a host",
        "'http://exa mple', MALFORMED, not a URL",
    })
    void refusesUpstreamsNamingTheRule(String url, UpstreamRule rule, String detail) {
        var decision = strict.checkUrl(url);
        assertThat(decision).isInstanceOf(UpstreamDecision.Refused.class);
        var refused = (UpstreamDecision.Refused) decision;
        assertThat(refused.rule()).isEqualTo(rule);
        assertThat(refused.detail()).contains(detail);
    }

    @Test
    void aRefusalSaysHowTheOperatorAllowsIt() {
        var refused = (UpstreamDecision.Refused) strict.checkUrl("http://169.254.169.254/");
        assertThat(refused.detail())
                .isEqualTo("169.254.169.254 is a link-local/metadata address (cloud instance metadata service); "
                        + "allow it with tollgate.upstreams.allow-networks=169.254.169.254/32");
        var byName = (UpstreamDecision.Refused) strict.checkUrl("http://localhost:8081");
        assertThat(byName.detail())
                .endsWith(
                        "allow it with tollgate.upstreams.allow-networks=127.0.0.1/32 or tollgate.upstreams.allow-hosts=localhost");
    }

    @ParameterizedTest
    @CsvSource({
        "https://api.example/v1",
        "http://93.184.216.34:8080/x",
        "http://[2606:2800:220:1::1]/",
        "http://unknown.example"
    })
    void allowsPublicUpstreamsAndNamesThatDoNotResolveHere(String url) {
        assertThat(strict.checkUrl(url)).isInstanceOf(UpstreamDecision.Allowed.class);
    }

    @Test
    void theOperatorAllowsNetworksOrHosts() {
        var demo = UpstreamPolicy.of(List.of("127.0.0.0/8", "::1/128"), List.of(), UpstreamPolicyTest::offlineDns);
        assertThat(demo.checkUrl("http://127.0.0.1:8081")).isInstanceOf(UpstreamDecision.Allowed.class);
        assertThat(demo.checkUrl("http://localhost:8081")).isInstanceOf(UpstreamDecision.Allowed.class);
        assertThat(demo.checkUrl("http://[::1]:8081")).isInstanceOf(UpstreamDecision.Allowed.class);
        assertThat(demo.checkUrl("http://10.0.0.1")).isInstanceOf(UpstreamDecision.Refused.class);
        assertThat(demo.checkUrl("http://169.254.169.254")).isInstanceOf(UpstreamDecision.Refused.class);
        assertThat(demo.checkUrl("ftp://127.0.0.1")).isInstanceOf(UpstreamDecision.Refused.class);

        var hosts = UpstreamPolicy.of(
                List.of(), List.of("localhost", "*.internal.example"), UpstreamPolicyTest::offlineDns);
        assertThat(hosts.checkUrl("http://localhost:8081")).isInstanceOf(UpstreamDecision.Allowed.class);
        assertThat(hosts.checkAddress("api.internal.example", address("10.0.0.7")))
                .isInstanceOf(UpstreamDecision.Allowed.class);
        assertThat(hosts.checkAddress("internal.example.evil", address("10.0.0.7")))
                .isInstanceOf(UpstreamDecision.Refused.class);
        assertThat(hosts.checkUrl("http://127.0.0.1:8081")).isInstanceOf(UpstreamDecision.Refused.class);
    }

    @Test
    void connectionsKeepOnlyAllowedAddressesAndFailWhenNoneIs() throws Exception {
        assertThat(strict.allowedAddresses("mixed.example")).containsExactly(PUBLIC);
        assertThatThrownBy(() -> strict.allowedAddresses("localhost"))
                .isInstanceOf(UpstreamRefusedException.class)
                .hasMessageContaining("localhost resolves to 127.0.0.1, which is a loopback address");
    }

    @Test
    void networksParseAsCidr() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(address("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(address("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(address("fd12::1"))).isTrue();
        assertThat(Cidr.parse("127.0.0.1").toString()).isEqualTo("127.0.0.1/32");
        assertThatThrownBy(() -> Cidr.parse("localhost/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
