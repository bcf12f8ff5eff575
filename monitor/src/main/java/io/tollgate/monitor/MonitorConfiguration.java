package io.tollgate.monitor;

import io.tollgate.monitor.measure.AvailabilitySource;
import io.tollgate.monitor.measure.GatewaySource;
import io.tollgate.monitor.measure.ProbeSource;
import io.tollgate.monitor.measure.Prober;
import io.tollgate.monitor.measure.PrometheusSource;
import io.tollgate.monitor.measure.WindowMeasure;
import io.tollgate.monitor.report.Reporter;
import io.tollgate.monitor.submit.Submitter;
import io.tollgate.monitor.watch.MarketplaceFeed;
import io.tollgate.monitor.watch.WatchedChannels;
import io.tollgate.settings.ChainProperties;
import io.tollgate.settings.Secret;
import io.tollgate.upstream.UpstreamPolicy;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** The monitor's parts, from its settings. */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties({
    MonitorConfiguration.UpstreamsProperties.class,
    ChainProperties.class
})
class MonitorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdown")
    Web3j web3j(ChainProperties chain) {
        return Web3j.build(new HttpService(chain.rpcUrl()));
    }

    @Bean
    HttpClient httpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Bean
    WatchedChannels watchedChannels(HttpClient http, MonitorProperties monitor, Web3j web3j) {
        return new WatchedChannels(
                new MarketplaceFeed(
                        http,
                        monitor.marketplaceUrl(),
                        monitor.marketplaceCredential().value()),
                web3j);
    }

    @Bean
    Prober prober(UpstreamPolicy upstreams, JdbcClient jdbc, MonitorProperties monitor, Clock clock) {
        return new Prober(upstreams, jdbc, monitor.name(), monitor.probeTimeout(), clock);
    }

    /**
     * Which probe URLs the monitor sends to (the same settings as the marketplace's and gateways').
     *
     * @param allowNetworks CIDR networks a probe URL may resolve to although a rule refuses them (the demo: {@code
     *     127.0.0.0/8}); none by default
     * @param allowHosts host names whose addresses are not checked; none by default
     */
    @org.springframework.validation.annotation.Validated
    @org.springframework.boot.context.properties.ConfigurationProperties("tollgate.upstreams")
    record UpstreamsProperties(
            @org.springframework.boot.context.properties.bind.DefaultValue
            List<String> allowNetworks,

            @org.springframework.boot.context.properties.bind.DefaultValue
            List<String> allowHosts) {}

    @Bean
    UpstreamPolicy upstreamPolicy(UpstreamsProperties properties) {
        return UpstreamPolicy.of(properties.allowNetworks(), properties.allowHosts());
    }

    @Bean
    WindowMeasure windowMeasure(
            JdbcClient jdbc, MonitorProperties monitor, PrometheusProperties prometheus, HttpClient http) {
        List<AvailabilitySource> others = new ArrayList<>(List.of(new GatewaySource(jdbc)));
        if (prometheus.enabled()) {
            others.add(new PrometheusSource(http, prometheus.url(), prometheus.goodQuery(), prometheus.totalQuery()));
        }
        return new WindowMeasure(new ProbeSource(jdbc, monitor.name()), others);
    }

    @Bean
    Reporter reporter(
            JdbcClient jdbc, WindowMeasure measure, MonitorProperties monitor, ChainProperties chain, Clock clock) {
        return new Reporter(
                jdbc,
                measure,
                monitor.keys().stream()
                        .filter(Secret::isSet)
                        .map(key -> Credentials.create(key.value()))
                        .toList(),
                chain.chainId(),
                monitor.settle(),
                monitor.lookback(),
                clock);
    }

    /** Only with a submitter key ({@code tollgate.submitter.key} set and not blank). */
    @Bean
    @ConditionalOnExpression("'${tollgate.submitter.key:}'.trim().length() > 0")
    Submitter submitter(
            JdbcClient jdbc, Web3j web3j, SubmitterProperties submitter, ChainProperties chain, Clock clock) {
        var sender = new RawTransactionManager(
                web3j,
                Credentials.create(submitter.key().value()),
                chain.chainId(),
                new PollingTransactionReceiptProcessor(web3j, 500, 240));
        return new Submitter(
                jdbc,
                web3j,
                sender,
                chain.chainId(),
                chain.gasPriceCeiling(),
                submitter.collectFor(),
                submitter.allWindows(),
                submitter.retryAfter(),
                submitter.giveUpAfter(),
                clock);
    }
}
