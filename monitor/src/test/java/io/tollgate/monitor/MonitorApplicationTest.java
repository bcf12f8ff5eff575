package io.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.monitor.submit.Submitter;
import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.utils.Numeric;

/**
 * The monitor process as it runs: its settings bind, it reads the feed, checks the channel's terms on chain, probes
 * the listing on its timer into PostgreSQL and exposes health and metrics; with a submitter key it submits too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext // its timers stop with the class, before the upstream and chain it probes do
class MonitorApplicationTest {
    static final AnvilNode chain = AnvilNode.start();
    static final ExampleUpstream upstream = ExampleUpstream.start(AnvilNode.freePort());
    static final StubServer feed = new StubServer();
    static final int PORT = AnvilNode.freePort();

    @Autowired
    ApplicationContext context;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        var deployment = Deployments.deploy(chain.web3j(), chain.transactionManager(0));
        var terms = new SlaTerms(
                new BasisPoints(9900),
                Duration.ofMinutes(1),
                Instant.ofEpochSecond(Instant.now().getEpochSecond() / 60 * 60),
                List.of(new SlaTerms.PenaltyTier(new BasisPoints(9900), Wei.of(1000))),
                List.of(chain.account(5).getAddress()),
                1);
        var channel = OnChainFixtures.channel(
                chain,
                deployment.factory(),
                OnChainFixtures.terms(chain, PriceTable.of(1), Duration.ofSeconds(60), Duration.ofSeconds(600)),
                terms,
                Wei.ZERO);
        feed.answer("[{\"channel\":\"" + channel.address() + "\",\"listing\":\"app-test\",\"probeUrl\":\""
                + upstream.baseUrl() + "/probe\"}]");
        registry.add("server.port", () -> PORT);
        registry.add("spring.datasource.url", () -> TestDatabase.migrated().getUrl());
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("tollgate.chain.rpc-url", chain::rpcUrl);
        registry.add("tollgate.monitor.marketplace-url", feed::url);
        registry.add("tollgate.monitor.name", () -> "app-test");
        registry.add(
                "tollgate.monitor.keys[0]",
                () -> Numeric.toHexStringNoPrefix(
                        chain.account(5).getEcKeyPair().getPrivateKey()));
        registry.add("tollgate.monitor.feed-interval", () -> "200ms");
        registry.add("tollgate.monitor.probe-interval", () -> "200ms");
        registry.add(
                "tollgate.submitter.key",
                () -> Numeric.toHexStringNoPrefix(
                        chain.account(9).getEcKeyPair().getPrivateKey()));
    }

    @AfterAll
    static void stop() {
        feed.close();
        upstream.close();
        chain.close();
    }

    @Test
    void probesTheFeedsListingsOnItsTimerAndShowsHealthAndMetrics() throws Exception {
        assertThat(context.getBeansOfType(Submitter.class)).hasSize(1);
        var jdbc = TestDatabase.jdbc();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "select coalesce(sum(ok), 0) from sla_probe_second where prober = 'app-test' and listing_id = 'app-test'",
                                Long.class))
                        .isGreaterThanOrEqualTo(3));
        try (var http = HttpClient.newHttpClient()) {
            var health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/actuator/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"status\":\"UP\"");
            var metrics = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/actuator/prometheus"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("tollgate_monitor_probes_total{outcome=\"ok\"");
        }
    }
}
