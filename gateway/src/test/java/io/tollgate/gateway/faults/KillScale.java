package io.tollgate.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * What the kill-under-load tests share: their scale ({@code -Dtollgate.faults.clients}, 16; {@code
 * -Dtollgate.faults.requests}, answers per phase, 1500; {@code -Dtollgate.faults.kills}, 1), one fresh static
 * channel per client (1000 wei a call, more deposit than any load spends) and a fresh ledger key prefix.
 */
record KillScale(int clients, long perPhase, int kills, String prefix, List<StaticChannel> channels) {

    static KillScale fromProperties() {
        int clients = Integer.getInteger("tollgate.faults.clients", 16);
        return new KillScale(
                clients,
                Long.getLong("tollgate.faults.requests", 1500),
                Integer.getInteger("tollgate.faults.kills", 1),
                "tollgate-faults-" + System.nanoTime(),
                IntStream.range(0, clients)
                        .mapToObj(i -> StaticChannel.fresh(Wei.of(1000), Wei.parse("1000000000000000000000")))
                        .toList());
    }

    /** A gateway process's arguments: the listing of {@code upstreamUrl}, the channels, the ledger in that Redis. */
    List<String> gatewayArguments(String upstreamUrl, int redisPort) {
        var arguments = new ArrayList<>(StaticChannel.listingArguments(upstreamUrl));
        channels.forEach(c -> arguments.addAll(c.arguments()));
        arguments.add("--spring.data.redis.port=" + redisPort);
        arguments.add("--tollgate.gateway.ledger.key-prefix=" + prefix);
        arguments.add("--logging.level.root=WARN");
        return arguments;
    }

    /** Waits until the upstream has answered one more phase of requests. */
    void awaitPhase(CountingUpstream upstream) {
        long target = upstream.total() + perPhase;
        await().atMost(Duration.ofMinutes(5)).until(() -> upstream.total() >= target);
    }

    /**
     * The last phase: one more phase of answers, then the load stopped and reconciled with the ledger in Redis at
     * {@code redisPort}, reported as {@code scenario} (with {@code extra}, read after the load stopped) and held to
     * no problems, nothing answered twice and nothing answered that no stored voucher covers.
     */
    Reconciliation finish(
            CountingUpstream upstream, LoadDriver load, int redisPort, String scenario, Supplier<String> extra) {
        awaitPhase(upstream);
        load.close();
        var verdict = Reconciliation.of(upstream, load, redisPort, prefix).report(scenario, extra.get());
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.doubled()).as("counts answered twice").isZero();
        assertThat(verdict.lost())
                .as("answered counts not covered by a stored voucher")
                .isZero();
        return verdict;
    }
}
