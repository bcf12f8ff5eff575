package io.tollgate.contracts.demo;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SignedVoucher;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Puts the demo on a fresh local chain (anvil): release 1 of the Intermediary and the factory, one funded channel
 * from a demo consumer to the demo provider Acme Weather at its list prices and a channel with a past, both on
 * release 1 (live channels the marketplace can offer the upgrade to); then release 2, registered last, so
 * channels created from then on run it; last the demo dollar DemoUsd (6 decimals, EIP-2612 permit, EIP-3009, open
 * faucet), deployed after the rest so that the addresses above stay what they were, and the demo consumer's channel
 * in it (release 2, funded with one permit, with a claimed history: {@link #usdChannel}). Idempotent: when the state
 * file names a factory that has code, nothing is sent (except registering release 2, deploying DemoUsd and creating
 * the USD channel on a demo chain set up before they existed). Writes {@code FACTORY},
 * {@code IMPLEMENTATION_CODE_HASH} (release 1), {@code RELEASE2_IMPLEMENTATION} (also as {@code NEWER_RELEASE}, the
 * release the marketplace offers the demo's channels), {@code RELEASE2_CODE_HASH}, {@code IMPLEMENTATION_CODE_HASHES}
 * (every release's, comma-separated, for gateways), {@code CHANNEL}, {@code CHANNEL_SIGNER_KEY}, {@code DEMO_USD}
 * (DemoUsd's address), {@code USD_CHANNEL} and {@code USD_CHANNEL_EPOCH} (the epoch its paid calls sign) to the state
 * file for the demo script.
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
    /** Quotient Markets' payout and operator key (anvil's public test account 3). */
    private static final String QUOTES_PROVIDER = "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

    private static final PriceTable QUOTES_PRICES =
            PriceTable.of(500_000_000_000L, 4_000_000_000_000L, 20_000_000_000_000L);

    /**
     * The demo consumer's history with Quotient Markets: requests per category of epoch 1 of the history channel,
     * signed, redeemed and withdrawn on chain here; the marketplace's demo data spreads the same counts over
     * the last two weeks as the gateway's usage rows, so statements and charts agree with the chain.
     */
    public static final long[] HISTORY_COUNTS = {1_400, 180, 25};

    /** The demo gateway's operator key (anvil's public test account 4): it claims the USD channel's history. */
    private static final String GATEWAY_OPERATOR = "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

    /** Ledgerline FX's payout address (anvil's public test account 6), the provider of the fx-rates listing. */
    public static final String FX_PROVIDER_PAYOUT = "0x976ea74026e726554db657fa54763abd0c3a0aa9";

    /** The fx-rates listing's prices in DemoUsd's smallest unit: 0.001 and 0.002 USDT-demo a call. */
    public static final PriceTable FX_PRICES = PriceTable.of(1_000, 2_000);

    /** What the demo consumer takes from DemoUsd's faucet: 1,000 USDT-demo. */
    public static final Wei USD_FAUCET = Wei.of(1_000_000_000);

    /** The USD channel's deposit, made with one permit as the channel is created: 20 USDT-demo. */
    public static final Wei USD_DEPOSIT = Wei.of(20_000_000);

    /**
     * The USD channel's history: requests per category of its epoch 1, signed and claimed on chain here (by the
     * demo gateway's operator key) and withdrawn to Ledgerline FX; epoch 2 is open for the demo's paid calls. The
     * marketplace's demo data spreads the same counts over the last week as the gateway's usage rows.
     */
    public static final long[] USD_HISTORY_COUNTS = {120, 30};

    /** The USD channel's active epoch after its history, the one the demo's paid calls sign. */
    public static final long USD_CHANNEL_EPOCH = 2;

    private DemoChain() {}

    public static void main(String[] args) throws IOException {
        String rpc = args[0];
        Path stateFile = Path.of(args[1]);
        var service = new HttpService(rpc);
        Web3j web3j = Web3j.build(service);
        try {
            Properties state = new Properties();
            if (Files.exists(stateFile)) {
                try (var in = Files.newInputStream(stateFile)) {
                    state.load(in);
                }
                String factory = state.getProperty("FACTORY", "");
                if (!factory.isEmpty() && ChannelCode.hasCode(web3j, factory)) {
                    System.out.println("demo chain already set up: factory " + factory);
                    warnIfAhead(web3j, Clock.systemUTC());
                    long chainId = web3j.ethChainId().send().getChainId().longValueExact();
                    boolean changed = false;
                    if (state.getProperty("RELEASE2_CODE_HASH", "").isEmpty()) {
                        registerRelease2(web3j, manager(web3j, DEPLOYER, chainId), factory, state);
                        changed = true;
                    }
                    String usd = state.getProperty("DEMO_USD", "");
                    boolean newUsd = usd.isEmpty() || !ChannelCode.hasCode(web3j, usd);
                    if (newUsd) {
                        deployDemoUsd(web3j, manager(web3j, DEPLOYER, chainId), state);
                        changed = true;
                    }
                    String usdChannel = state.getProperty("USD_CHANNEL", "");
                    if (newUsd || usdChannel.isEmpty() || !ChannelCode.hasCode(web3j, usdChannel)) {
                        usdChannel(web3j, chainId, factory, state);
                        changed = true;
                    }
                    if (changed) {
                        store(state, stateFile);
                    }
                    return;
                }
            }
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            var deployment = Deployments.deploy(web3j, manager(web3j, DEPLOYER, chainId));
            var consumer = Credentials.create(CONSUMER);
            var channel = FactoryClient.create(
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
            String history = history(web3j, service, chainId, deployment.factory());
            state.setProperty("HISTORY_CHANNEL", history);
            state.setProperty("FACTORY", deployment.factory());
            state.setProperty("IMPLEMENTATION_CODE_HASH", ChannelCode.codeHash(web3j, deployment.implementation()));
            state.setProperty("CHANNEL", channel.address());
            state.setProperty("CHANNEL_SIGNER_KEY", SIGNER);
            // after the demo's channels: they stay on release 1, channels created from now on run release 2
            registerRelease2(web3j, manager(web3j, DEPLOYER, chainId), deployment.factory(), state);
            deployDemoUsd(web3j, manager(web3j, DEPLOYER, chainId), state);
            usdChannel(web3j, chainId, deployment.factory(), state);
            alignClock(web3j, service, Clock.systemUTC());
            store(state, stateFile);
            System.out.println("demo chain set up: factory " + deployment.factory() + ", channel " + channel.address());
        } finally {
            web3j.shutdown();
        }
    }

    private static void registerRelease2(
            Web3j web3j, RawTransactionManager deployer, String factory, Properties state) {
        String release2 = Deployments.deployRelease2(web3j, deployer, factory);
        String release2Hash = ChannelCode.codeHash(web3j, release2);
        state.setProperty("RELEASE2_IMPLEMENTATION", release2);
        state.setProperty("RELEASE2_CODE_HASH", release2Hash);
        state.setProperty("NEWER_RELEASE", release2);
        state.setProperty(
                "IMPLEMENTATION_CODE_HASHES", state.getProperty("IMPLEMENTATION_CODE_HASH") + "," + release2Hash);
        System.out.println("release 2 registered: " + release2);
    }

    /** Deploys DemoUsd (the demo dollar) and names it {@code DEMO_USD} in the state; no channel uses it yet. */
    private static void deployDemoUsd(Web3j web3j, RawTransactionManager deployer, Properties state) {
        String usd = TokenPermits.deployDemoUsd(web3j, deployer);
        state.setProperty("DEMO_USD", usd);
        System.out.println("DemoUsd deployed: " + usd);
    }

    /**
     * The demo consumer's channel in the demo dollar to Ledgerline FX (fx-rates, release 2): the consumer takes
     * {@link #USD_FAUCET} from the faucet and creates the channel funded with {@link #USD_DEPOSIT} in one transaction
     * with one permit to the factory; then its history ({@link #USD_HISTORY_COUNTS} in epoch 1, claimed and
     * withdrawn) and epoch {@link #USD_CHANNEL_EPOCH} opened at the same prices. Writes {@code USD_CHANNEL} and
     * {@code USD_CHANNEL_EPOCH}.
     */
    private static void usdChannel(Web3j web3j, long chainId, String factory, Properties state) throws IOException {
        String usd = state.getProperty("DEMO_USD");
        var consumer = Credentials.create(CONSUMER);
        var signer = Credentials.create(SIGNER);
        var asConsumer = manager(web3j, CONSUMER, chainId);
        TokenPermits.faucet(web3j, asConsumer, usd, USD_FAUCET);
        Instant deadline = Instant.ofEpochSecond(latestBlockTime(web3j)).plus(Duration.ofHours(1));
        var permit = TokenPermits.sign(web3j, usd, consumer, factory, USD_DEPOSIT, deadline);
        var channel = new FactoryClient(web3j, factory, asConsumer, BigInteger.TEN.pow(12))
                .createChannelWithPermit(
                        new ChannelTerms(
                                consumer.getAddress(),
                                signer.getAddress(),
                                FX_PROVIDER_PAYOUT,
                                PROVIDER_OPERATOR,
                                Optional.of(usd),
                                FX_PRICES,
                                Duration.ofSeconds(60),
                                Duration.ofMinutes(15)),
                        SlaTerms.none(),
                        permit);
        List<SignedVoucher> vouchers = new ArrayList<>();
        for (int category = 0; category < USD_HISTORY_COUNTS.length; category++) {
            long count = USD_HISTORY_COUNTS[category];
            byte[] digest =
                    VoucherSignatures.voucherDigest(chainId, channel.address(), 1, category, count, FX_PRICES.hash());
            vouchers.add(
                    new SignedVoucher(category, count, count, VoucherSignatures.sign(digest, signer.getEcKeyPair())));
        }
        var operator = new ChannelClient(
                web3j, channel.address(), manager(web3j, GATEWAY_OPERATOR, chainId), BigInteger.TEN.pow(12));
        operator.claim(1, vouchers);
        operator.startEpoch(FX_PRICES);
        operator.withdraw();
        state.setProperty("USD_CHANNEL", channel.address());
        state.setProperty("USD_CHANNEL_EPOCH", Long.toString(USD_CHANNEL_EPOCH));
        System.out.println("USD channel " + channel.address() + " funded with " + USD_DEPOSIT + " DemoUsd units");
    }

    /**
     * Brings the chain's clock to this machine's once the set-up is made. The history moves the chain's clock past a
     * T_r ({@code evm_increaseTime}) and anvil keeps that offset for every later block; release 2 starts SLA windows
     * at the creation block's time while the monitor measures by this machine's clock, so a chain running ahead puts
     * every outage into another window. demo.sh starts a fresh chain ten minutes in the past, so this is a step
     * forward: block times never go back. A chain that is ahead anyway is announced.
     */
    static void alignClock(Web3j web3j, HttpService service, Clock clock) throws IOException {
        long now = clock.instant().getEpochSecond();
        if (latestBlockTime(web3j) < now) {
            chainCall(service, "evm_setTime", List.of(now));
            chainCall(service, "evm_mine", List.of());
        }
        warnIfAhead(web3j, clock);
    }

    private static void warnIfAhead(Web3j web3j, Clock clock) throws IOException {
        long ahead = latestBlockTime(web3j) - clock.instant().getEpochSecond();
        if (ahead > 5) {
            System.out.println("WARNING: the chain's clock is " + ahead + " s ahead of this machine's: release-2 SLA"
                    + " windows start at block time and the monitor measures by this machine's clock, so outages"
                    + " would be counted in other windows. Start the demo on a fresh folder (TOLLGATE_DEMO_DIR).");
        }
    }

    private static long latestBlockTime(Web3j web3j) throws IOException {
        return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send()
                .getBlock()
                .getTimestamp()
                .longValueExact();
    }

    private static void store(Properties state, Path stateFile) throws IOException {
        Files.createDirectories(stateFile.toAbsolutePath().getParent());
        try (var out = Files.newOutputStream(stateFile)) {
            state.store(out, "Tollgate demo chain (anvil test keys only)");
        }
    }

    /** A second channel with a past: funded, used in epoch 1, redeemed after T_r, earnings withdrawn. */
    private static String history(Web3j web3j, HttpService service, long chainId, String factory) throws IOException {
        var consumer = Credentials.create(CONSUMER);
        var signer = Credentials.create(SIGNER);
        String provider = Credentials.create(QUOTES_PROVIDER).getAddress();
        var channel = FactoryClient.create(
                web3j,
                manager(web3j, CONSUMER, chainId),
                factory,
                new ChannelTerms(
                        consumer.getAddress(),
                        signer.getAddress(),
                        provider,
                        provider,
                        Optional.empty(),
                        QUOTES_PRICES,
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(15)),
                Wei.parse("50000000000000000")); // 0.05 ether
        List<SignedVoucher> vouchers = new ArrayList<>();
        for (int category = 0; category < HISTORY_COUNTS.length; category++) {
            long count = HISTORY_COUNTS[category];
            byte[] digest = VoucherSignatures.voucherDigest(
                    chainId, channel.address(), 1, category, count, QUOTES_PRICES.hash());
            vouchers.add(
                    new SignedVoucher(category, count, count, VoucherSignatures.sign(digest, signer.getEcKeyPair())));
        }
        var operator = new ChannelClient(
                web3j, channel.address(), manager(web3j, QUOTES_PROVIDER, chainId), BigInteger.TEN.pow(12));
        operator.startRedemption(QUOTES_PRICES);
        chainCall(service, "evm_increaseTime", List.of(61)); // past T_r: a development chain only
        chainCall(service, "evm_mine", List.of());
        operator.finishRedemption(1, vouchers);
        operator.withdraw();
        return channel.address();
    }

    private static void chainCall(HttpService service, String method, List<?> params) throws IOException {
        var response = new Request<>(method, params, service, VoidResponse.class).send();
        if (response.hasError()) {
            throw new IOException(method + " failed: " + response.getError().getMessage());
        }
    }

    private static RawTransactionManager manager(Web3j web3j, String key, long chainId) {
        return new RawTransactionManager(
                web3j, Credentials.create(key), chainId, new PollingTransactionReceiptProcessor(web3j, 100, 300));
    }
}
