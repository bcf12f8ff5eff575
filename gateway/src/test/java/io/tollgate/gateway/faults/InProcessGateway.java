package io.tollgate.gateway.faults;

import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.payment.PrivateNettyResources;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway in the test's JVM for the abuse scenarios (nothing is killed there): static channels, the
 * {@code faults} listing at {@code /paid/**}, an unpaid route at {@code /unpaid/**}, both to one upstream, on the
 * machine's Redis. Closing it leaves the global Reactor Netty resources to the next one.
 */
final class InProcessGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private InProcessGateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static InProcessGateway start(String upstreamUrl, List<StaticChannel> channels, String... extra) {
        var arguments = new ArrayList<>(StaticChannel.listingArguments(upstreamUrl));
        channels.forEach(c -> arguments.addAll(c.arguments()));
        arguments.add("--server.port=0");
        arguments.add("--tollgate.gateway.ledger.key-prefix=tollgate-test");
        arguments.addAll(List.of(extra));
        if (arguments.stream().noneMatch(a -> a.startsWith("--spring.data.redis.port="))) {
            arguments.add("--spring.data.redis.port=" + Integer.getInteger("tollgate.test.redis.port", 6379));
        }
        return new InProcessGateway(new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class)
                .run(arguments.toArray(String[]::new)));
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
