package io.tollgate.gateway.faults;

import io.tollgate.pricing.Wei;
import java.util.ArrayList;
import java.util.List;
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
}
