package io.tollgate.monitor.measure;

import io.tollgate.upstream.UpstreamPolicy;
import io.tollgate.upstream.UpstreamRefusedException;
import java.io.IOException;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Active probes: a GET of each listing's probe URL, all listings at once; a probe succeeds when it is answered
 * 2xx or 3xx within the timeout. Results are added to this prober's row of the second in which the probe was sent
 * ({@code sla_probe_second}), so a restart loses nothing already recorded and a window that starts at any second
 * (release 2 starts a channel's windows at its creation) counts exactly the probes sent inside it.
 *
 * <p>A probe URL is a provider's input: the host is resolved here, each address checked by the {@link UpstreamPolicy}
 * (no loopback, private, link-local, metadata... unless allowed), and the request goes to the checked address itself
 * (a plain HTTP/1.1 GET, {@code Host} the URL's; for https TLS with SNI and host name verification), so a DNS answer
 * that changes between check and connection cannot redirect it. A refused address is not probed (counted as
 * failed).
 */
public final class Prober {
    private static final Logger log = LoggerFactory.getLogger(Prober.class);

    /** One probe's outcome: the status (0 without an answer) and how long it took. */
    public record Probe(String listing, Instant sentAt, int status, Duration latency) {
        public boolean ok() {
            return status >= 200 && status < 400;
        }
    }

    private final UpstreamPolicy policy;
    private final JdbcClient jdbc;
    private final String prober;
    private final Duration timeout;
    private final Clock clock;

    public Prober(UpstreamPolicy policy, JdbcClient jdbc, String prober, Duration timeout, Clock clock) {
        this.policy = policy;
        this.jdbc = jdbc;
        this.prober = prober;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Probes each listing's URL once (listing slug → probe URL) and records the outcomes. */
    public List<Probe> probe(Map<String, String> urls) {
        Instant sentAt = clock.instant();
        List<Probe> probes = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Probe>> running = new LinkedHashMap<>();
            urls.forEach((listing, url) -> running.put(listing, threads.submit(() -> probe(listing, url, sentAt))));
            for (var entry : running.entrySet()) {
                try {
                    probes.add(entry.getValue().get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("probing " + entry.getKey() + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return probes;
                }
            }
        }
        for (Probe p : probes) {
            record(p);
        }
        return probes;
    }

    private Probe probe(String listing, String url, Instant sentAt) {
        long started = System.nanoTime();
        int status;
        try {
            status = get(URI.create(url));
        } catch (UpstreamRefusedException e) {
            status = 0;
            log.atWarn()
                    .addKeyValue("listing", listing)
                    .addKeyValue("rule", e.rule())
                    .addKeyValue("outcome", "refused")
                    .log("probe not sent: {}", e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            status = 0; // refused, reset, unknown host, timeout: the listing did not answer
        }
        var probe = new Probe(listing, sentAt, status, Duration.ofNanos(System.nanoTime() - started));
        if (!probe.ok()) {
            log.atInfo()
                    .addKeyValue("listing", listing)
                    .addKeyValue("status", status)
                    .addKeyValue("outcome", "failed")
                    .log("probe failed");
        }
        return probe;
    }

    /** A GET of {@code uri} sent to an address the policy allowed; the answer's status code. */
    int get(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = uri.getHost();
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawUserInfo() != null || host == null) {
            throw new UpstreamRefusedException(new io.tollgate.upstream.UpstreamDecision.Refused(
                    io.tollgate.upstream.UpstreamRule.SCHEME, "not an http(s) URL without user info: " + uri));
        }
        boolean https = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        List<java.net.InetAddress> addresses = policy.allowedAddresses(host);
        int millis = (int) Math.max(1, timeout.toMillis());
        try (var plain = connect(addresses, port, millis)) {
            plain.setSoTimeout(millis);
            java.net.Socket socket = plain;
            if (https) {
                String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
                var tls = (javax.net.ssl.SSLSocket)
                        ((javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault())
                                .createSocket(plain, name, port, true);
                var parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!name.contains(":") && !name.matches("[0-9.]+")) {
                    parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(name)));
                }
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                socket = tls;
            }
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getRawAuthority()
                    + "\r\nUser-Agent: tollgate-monitor\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            if (statusLine == null || !statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    /** Connects to the first of the (allowed) addresses that accepts. */
    private static java.net.Socket connect(List<java.net.InetAddress> addresses, int port, int millis)
            throws IOException {
        IOException last = null;
        for (java.net.InetAddress address : addresses) {
            var socket = new java.net.Socket();
            try {
                socket.connect(new java.net.InetSocketAddress(address, port), millis);
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address");
    }

    private void record(Probe p) {
        jdbc.sql("""
                insert into sla_probe_second (prober, listing_id, sent_second, sent, ok, latency_sum_us) values (?, ?, ?, 1, ?, ?)
                on conflict (prober, listing_id, sent_second) do update set sent = sla_probe_second.sent + 1,
                    ok = sla_probe_second.ok + excluded.ok, latency_sum_us = sla_probe_second.latency_sum_us + excluded.latency_sum_us""")
                .params(
                        prober,
                        p.listing(),
                        Timestamp.from(p.sentAt().truncatedTo(ChronoUnit.SECONDS)),
                        p.ok() ? 1 : 0,
                        p.latency().toNanos() / 1000)
                .update();
    }
}
