package io.tollgate.gateway;

import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.pricing.PriceTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments in-process gateways of tests share, in groups: a test lists its own arguments and
 * these groups in one {@link #of} call.
 *
 * <pre>{@code
 * new SpringApplicationBuilder(GatewayApplication.class).run(GatewayArguments.of(
 *         "--server.port=0",
 *         GatewayArguments.chain(chain.rpcUrl(), deployment.factory(), codeHash),
 *         GatewayArguments.usageDatabase(),
 *         GatewayArguments.paidRoute(0, "paid", upstream.baseUrl(), "/paid/**", "weather, 1")));
 * }</pre>
 */
public final class GatewayArguments {
    /** anvil account 4's key (a public test key): the operator that redeems. */
    public static final String OPERATOR_KEY =
            "--tollgate.chain.operator-key=47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

    private GatewayArguments() {}

    /** The arguments in order: each part a {@code String} or a {@code List<String>}. */
    public static String[] of(Object... parts) {
        var arguments = new ArrayList<String>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(argument -> arguments.add((String) argument));
            } else {
                arguments.add((String) part);
            }
        }
        return arguments.toArray(String[]::new);
    }

    /** The chain node, the one trusted factory and the trusted implementations' code hashes. */
    public static List<String> chain(String rpcUrl, String factory, String... codeHashes) {
        var arguments = new ArrayList<>(
                List.of("--tollgate.chain.rpc-url=" + rpcUrl, "--tollgate.chain.factories[0]=" + factory));
        for (int i = 0; i < codeHashes.length; i++) {
            arguments.add("--tollgate.chain.implementation-code-hashes[" + i + "]=" + codeHashes[i]);
        }
        return arguments;
    }

    /**
     * {@code chain}'s node, {@code deployment}'s factory the one trusted, and the code of its implementation and of
     * {@code releases} (implementation addresses, e.g. release 2's) trusted.
     */
    public static List<String> chain(AnvilNode chain, Deployments.Deployment deployment, String... releases) {
        var codeHashes = new ArrayList<String>();
        codeHashes.add(ChannelCode.codeHash(chain.web3j(), deployment.implementation()));
        for (String release : releases) {
            codeHashes.add(ChannelCode.codeHash(chain.web3j(), release));
        }
        return chain(chain.rpcUrl(), deployment.factory(), codeHashes.toArray(String[]::new));
    }

    /** The usage records in the shared test database. */
    public static List<String> usageDatabase() {
        return List.of(
                "--tollgate.gateway.usage.jdbc-url=" + TestDatabase.URL, "--tollgate.gateway.usage.username=postgres");
    }

    /**
     * Egress with public anvil test keys: account 2 signs the consumer's vouchers (counters in {@code counters}),
     * account 7 funds top-ups.
     */
    public static List<String> egressKeys(Object counters) {
        return List.of(
                "--tollgate.gateway.egress.signer-key=5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
                "--tollgate.gateway.egress.counters=" + counters,
                "--tollgate.gateway.egress.top-up-key=4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356");
    }

    /** The listing {@code weather}: its provider's payout, factory, operator and prices. */
    public static List<String> weatherListing(String payout, String factory, String operator, PriceTable prices) {
        return List.of(
                "--tollgate.gateway.listings.weather.provider=" + payout,
                "--tollgate.gateway.listings.weather.factory=" + factory,
                "--tollgate.gateway.listings.weather.subscribe-url=http://marketplace.test/listings/weather",
                "--tollgate.gateway.listings.weather.operator=" + operator,
                "--tollgate.gateway.listings.weather.prices=" + String.join(",", prices.decimals()));
    }

    /**
     * Route {@code index}: requests under {@code path} go to {@code uri} without their first path segment, paid by
     * the {@code Payment} filter with {@code payment} ("listing, category").
     */
    public static List<String> paidRoute(int index, String id, String uri, String path, String payment) {
        String route = "--spring.cloud.gateway.server.webflux.routes[" + index + "]";
        return List.of(
                route + ".id=" + id,
                route + ".uri=" + uri,
                route + ".predicates[0]=Path=" + path,
                route + ".filters[0]=Payment=" + payment,
                route + ".filters[1]=StripPrefix=1");
    }
}
