package io.tollgate.contracts.demo;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Puts the demo on a fresh local chain (anvil): the Intermediary release and factory, and one funded channel
 * from a demo consumer to the demo provider Acme Weather at its list prices. Idempotent: when the state file
 * names a factory that has code, nothing is sent. Writes {@code FACTORY}, {@code IMPLEMENTATION_CODE_HASH},
 * {@code CHANNEL} and {@code CHANNEL_SIGNER_KEY} to the state file for the demo script.
 *
 * <p>The keys are anvil's published test keys: they exist only on a local development chain.
 *
 * <pre>java … io.tollgate.contracts.demo.DemoChain http://127.0.0.1:8545 .demo/chain/demo.properties</pre>
 */
public final class DemoChain {
    // anvil's published test accounts 0, 1, 2, 4 and 5 (mnemonic "test test … junk"): never real money
    private static final String DEPLOYER = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static final String CONSUMER = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static final String SIGNER = "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
    private static final String PROVIDER_PAYOUT = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    private static final String PROVIDER_OPERATOR = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    private static final PriceTable WEATHER_PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);

    private DemoChain() {}

    public static void main(String[] args) throws IOException {
        String rpc = args[0];
        Path stateFile = Path.of(args[1]);
        Web3j web3j = Web3j.build(new HttpService(rpc));
        try {
            Properties state = new Properties();
            if (Files.exists(stateFile)) {
                try (var in = Files.newInputStream(stateFile)) {
                    state.load(in);
                }
                String factory = state.getProperty("FACTORY", "");
                if (!factory.isEmpty() && ChannelClient.hasCode(web3j, factory)) {
                    System.out.println("demo chain already set up: factory " + factory);
                    return;
                }
            }
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            var deployment = ChannelClient.deploy(web3j, manager(web3j, DEPLOYER, chainId));
            var consumer = Credentials.create(CONSUMER);
            var channel = ChannelClient.create(
                    web3j,
                    manager(web3j, CONSUMER, chainId),
                    deployment.factory(),
                    new ChannelTerms(
                            consumer.getAddress(),
                            Credentials.create(SIGNER).getAddress(),
                            PROVIDER_PAYOUT,
                            PROVIDER_OPERATOR,
                            Optional.empty(),
                            WEATHER_PRICES,
                            Duration.ofSeconds(60),
                            Duration.ofMinutes(15)),
                    Wei.parse("100000000000000000")); // 0.1 ether
            state.setProperty("FACTORY", deployment.factory());
            state.setProperty("IMPLEMENTATION_CODE_HASH", ChannelClient.codeHash(web3j, deployment.implementation()));
            state.setProperty("CHANNEL", channel.address());
            state.setProperty("CHANNEL_SIGNER_KEY", SIGNER);
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
            try (var out = Files.newOutputStream(stateFile)) {
                state.store(out, "Tollgate demo chain (anvil test keys only)");
            }
            System.out.println("demo chain set up: factory " + deployment.factory() + ", channel " + channel.address());
        } finally {
            web3j.shutdown();
        }
    }

    private static RawTransactionManager manager(Web3j web3j, String key, long chainId) {
        return new RawTransactionManager(
                web3j, Credentials.create(key), chainId, new PollingTransactionReceiptProcessor(web3j, 100, 300));
    }
}
