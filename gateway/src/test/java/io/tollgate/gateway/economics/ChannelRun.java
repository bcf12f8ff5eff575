package io.tollgate.gateway.economics;

import io.tollgate.client.VoucherSigner;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.contracts.testing.TestClock;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelTrust;
import io.tollgate.gateway.chain.GatewayChainProperties;
import io.tollgate.gateway.chain.RefreshingChannelStateCache;
import io.tollgate.gateway.chain.Web3jChannelStateSource;
import io.tollgate.gateway.economics.ChainTransactions.Tx;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.ledger.LedgerProperties;
import io.tollgate.gateway.ledger.RedisVoucherLedger;
import io.tollgate.gateway.redemption.RedemptionJournal;
import io.tollgate.gateway.redemption.RedemptionLease;
import io.tollgate.gateway.redemption.RedemptionProperties;
import io.tollgate.gateway.redemption.RedemptionScheduler;
import io.tollgate.gateway.redemption.Web3jRedemptionChain;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import reactor.core.publisher.Flux;

/**
 * One simulated period on one channel: a fresh anvil, the factory and release, a channel funded by the consumer,
 * and the gateway's real ledger ({@link RedisVoucherLedger} on the machine's Redis), chain-state cache and
 * {@link RedemptionScheduler} (journal in PostgreSQL) on a simulated clock that moves with the chain's. Each
 * step the clock and the chain move by {@link Scenario#step()}, the consumer's calls of that step arrive as one
 * voucher per category carrying the epoch's cumulative count (signed with the client library's
 * {@link VoucherSigner} by the channel's signer key and accepted by the ledger exactly as the payment filter
 * does), the consumer tops up when the ledger reports its credit low, and the scheduler takes one step. Every
 * mined transaction is read back from the chain with its receipt.
 */
record ChannelRun(Scenario scenario, DataSource journalDatabase, Path abiFolder, String commit) {

    /** How the provider redeems. */
    enum Mode {
        /** Release 1, start + finish, with the scheduler's defaults of the time (a redemption every hour). */
        BEFORE,
        /** Release 2, one-step claims, decided by the scheduler's rule of now (worth its gas, exposure, max age). */
        AFTER
    }

    /**
     * What one run produced.
     *
     * @param operatorTxs the provider's settlement transactions (sent by the operator key), in order
     * @param payoutTxs the provider's withdrawal(s) of its earnings (sent by the payout key)
     * @param consumerTxs the consumer's channel creation and top-ups
     * @param outcomes how often the scheduler's step ended how
     * @param reasons why redemptions were started, as the journal recorded it
     * @param served the value of the calls served (calls × price)
     * @param earned what the channel paid into the provider's earnings by the end
     * @param deposited what the consumer deposited in all
     * @param commit the commit of the code that ran
     */
    record Result(
            Mode mode,
            int categories,
            BigInteger baseFee,
            List<Tx> operatorTxs,
            List<Tx> payoutTxs,
            List<Tx> consumerTxs,
            Map<String, Integer> outcomes,
            Map<String, Integer> reasons,
            BigInteger served,
            BigInteger earned,
            BigInteger deposited,
            String commit) {

        BigInteger operatorGas() {
            return operatorTxs.stream().map(Tx::gasUsed).reduce(BigInteger.ZERO, BigInteger::add);
        }

        BigInteger providerGas() {
            return operatorGas().add(payoutTxs.stream().map(Tx::gasUsed).reduce(BigInteger.ZERO, BigInteger::add));
        }
    }

    // anvil's published test keys (accounts 0, 1, 3, 4 and 5): a local chain only, never real money
    private static final int DEPLOYER = 0;
    private static final int CONSUMER = 1;
    private static final int PAYOUT = 3;
    private static final int OPERATOR = 4;
    private static final int BACKGROUND = 9;
    private static final Credentials SIGNER =
            Credentials.create("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

    Result run(Mode mode, int k, BigInteger baseFee) {
        // the chain's fee market at the level the run is judged at: that base fee from genesis on, no minimum tip
        // (eth_maxPriorityFeePerGas 0), so the scheduler's eth_feeHistory estimate is the fee level itself
        try (var chain = AnvilNode.start("--block-base-fee-per-gas", baseFee.toString(), "--no-priority-fee");
                var redis = RealRedis.connect()) {
            var web3j = chain.web3j();
            // a fresh deployer nonce: channel addresses differ between runs (the journal and Redis outlive them)
            OnChainFixtures.freshDeployerNonce(chain);
            var rpc = new Rpc(chain.rpcUrl());
            rpc.pinBaseFee(baseFee);
            chain.mine();
            var deployment = Deployments.deploy(web3j, chain.transactionManager(DEPLOYER));
            var codeHashes = new ArrayList<>(List.of(ChannelCode.codeHash(web3j, deployment.implementation())));
            if (mode == Mode.AFTER) {
                codeHashes.add(ChannelCode.codeHash(web3j, deployRelease2(chain, deployment.factory())));
            }
            var transactions = new ChainTransactions(web3j, abiFolder);

            PriceTable prices = new PriceTable(Collections.nCopies(k, new Wei(scenario.priceWei())));
            var owner = chain.account(CONSUMER);
            var operatorKey = chain.account(OPERATOR);
            rpc.pinBaseFee(baseFee);
            var consumer = FactoryClient.create(
                    web3j,
                    chain.transactionManager(CONSUMER),
                    deployment.factory(),
                    new ChannelTerms(
                            owner.getAddress(),
                            SIGNER.getAddress(),
                            chain.account(PAYOUT).getAddress(),
                            operatorKey.getAddress(),
                            Optional.empty(),
                            prices,
                            scenario.tolerance(),
                            scenario.closeDelay()),
                    new Wei(scenario.depositWei()));
            String channel = consumer.address().toLowerCase(Locale.ROOT);
            // empty blocks, so the fee history the scheduler reads holds none of the setup's transactions (web3j's
            // deployments pay a legacy 4.1 gwei)
            for (int i = 0; i < 12; i++) {
                rpc.pinBaseFee(baseFee);
                chain.mine();
            }
            var all = new ArrayList<Tx>(transactions.collect());

            Instant start = Instant.ofEpochSecond(latestTime(chain));
            var clock = new TestClock(start);
            var chainProperties = defaults(
                    "tollgate.chain",
                    ChainProperties.class,
                    Map.of(
                            "rpc-url", chain.rpcUrl(),
                            "chain-id", Long.toString(AnvilNode.CHAIN_ID),
                            "factories[0]", deployment.factory()));
            var gatewayChainProperties = defaults(
                    "tollgate.chain",
                    GatewayChainProperties.class,
                    Map.of("implementation-code-hashes", String.join(",", codeHashes)));
            var cache = new RefreshingChannelStateCache(
                    new Web3jChannelStateSource(
                            web3j, AnvilNode.CHAIN_ID, new ChannelTrust(chainProperties, gatewayChainProperties)),
                    clock,
                    gatewayChainProperties.refreshAfter(chainProperties.redemptionTolerance()),
                    chainProperties.redemptionTolerance().minus(gatewayChainProperties.safetyMargin()),
                    gatewayChainProperties.noContractRetry());
            String prefix = "econsim-" + mode.name().toLowerCase(Locale.ROOT) + "-k" + k + "-" + System.nanoTime();
            var ledgerProperties =
                    defaults("tollgate.gateway.ledger", LedgerProperties.class, Map.of("key-prefix", prefix));
            RedisVoucherLedger ledger = redis.ledger(ledgerProperties, clock);
            var operator = new FastRawTransactionManager(
                    web3j, operatorKey, AnvilNode.CHAIN_ID, new PollingTransactionReceiptProcessor(web3j, 20, 3000));
            var redemptionProperties = defaults("tollgate.gateway.redemption", RedemptionProperties.class, Map.of());
            var scheduler = new RedemptionScheduler(
                    cache,
                    // fee estimates age by the wall clock, as before the clock was passed in (issue 19): the run's
                    // numbers stay comparable with earlier runs
                    new Web3jRedemptionChain(web3j, operator, chainProperties.gasPriceCeiling(), Clock.systemUTC()),
                    new RedemptionJournal(journalDatabase),
                    ledger,
                    new RedemptionLease(redis.template(), prefix, redemptionProperties.lease()),
                    redemptionProperties,
                    chainProperties.redemptionTolerance(),
                    clock);
            var signer = new VoucherSigner(SIGNER.getEcKeyPair());
            var backgroundKey = chain.account(BACKGROUND);
            String backgroundAddress = backgroundKey.getAddress();
            var background = new FastRawTransactionManager(web3j, backgroundKey, AnvilNode.CHAIN_ID);

            var outcomes = new LinkedHashMap<String, Integer>();
            Map<Long, long[]> counts = new HashMap<>();
            BigInteger topUpBelow = scenario.depositWei()
                    .multiply(BigInteger.valueOf(scenario.topUpBelowBps()))
                    .divide(BigInteger.valueOf(10_000));
            long steps = scenario.steps();
            long wall = System.nanoTime();
            long perDay = Duration.ofDays(1).toMillis() / scenario.step().toMillis();
            try {
                for (long i = 1; i <= steps; i++) {
                    Instant now = start.plus(scenario.step().multipliedBy(i));
                    rpc.pinBaseFee(baseFee);
                    rpc.call("evm_mine", List.of(now.getEpochSecond()));
                    clock.set(now);
                    // the chain's other traffic: one transaction without tip per step, so eth_feeHistory shows the
                    // fee level itself (anvil suggests a 1 gwei tip when its blocks are empty)
                    rpc.pinBaseFee(baseFee);
                    var sent = background.sendEIP1559Transaction(
                            AnvilNode.CHAIN_ID,
                            BigInteger.ZERO,
                            baseFee.multiply(BigInteger.TWO),
                            BigInteger.valueOf(21_000),
                            backgroundAddress,
                            "",
                            BigInteger.ZERO);
                    if (sent.hasError()) {
                        throw new IllegalStateException("the background transaction was refused: "
                                + sent.getError().getMessage());
                    }

                    // the consumer's calls of this step, one voucher per category with the epoch's cumulative count
                    long before = scenario.servedBy(i - 1);
                    long after = scenario.servedBy(i);
                    ChannelState state = found(cache.fresh(channel).block());
                    long epoch = state.activeEpoch();
                    long[] epochCounts = counts.computeIfAbsent(epoch, e -> new long[k]);
                    var terms = new io.tollgate.client.ChannelTerms(
                            channel,
                            AnvilNode.CHAIN_ID,
                            epoch,
                            state.activeTerms().table());
                    var entries = new ArrayList<LedgerEntry>();
                    for (int c = 0; c < k; c++) {
                        long added = inCategory(after, c, k) - inCategory(before, c, k);
                        if (added == 0) {
                            continue;
                        }
                        epochCounts[c] += added;
                        entries.add(new LedgerEntry(
                                channel,
                                epoch,
                                c,
                                epochCounts[c],
                                state.activeTerms().table().price(c),
                                state.creditLimit(),
                                state.oldestUnredeemedEpoch(),
                                signer.sign(terms, c, epochCounts[c])));
                    }
                    BigInteger lowest = null;
                    for (LedgerOutcome outcome : Flux.fromIterable(entries)
                            .flatMapSequential(ledger::record)
                            .collectList()
                            .block()) {
                        switch (outcome) {
                            case LedgerOutcome.Accepted accepted -> {
                                BigInteger credit = accepted.remainingCredit().value();
                                lowest = lowest == null || credit.compareTo(lowest) < 0 ? credit : lowest;
                            }
                            case LedgerOutcome.Rejected rejected ->
                                throw new IllegalStateException("the ledger refused a voucher of the scenario at step "
                                        + i + " (" + now + "): " + rejected.reason()
                                        + " (raise the deposit or the top-up threshold)");
                        }
                    }
                    if (lowest != null && lowest.compareTo(topUpBelow) < 0) {
                        rpc.pinBaseFee(baseFee);
                        consumer.depositEther(new Wei(scenario.depositWei().subtract(lowest)));
                        cache.invalidate(channel);
                    }

                    rpc.pinBaseFee(baseFee);
                    var outcome = scheduler.step(channel).block();
                    outcomes.merge(String.valueOf(outcome), 1, Integer::sum);
                    all.addAll(transactions.collect());
                    if (i % perDay == 0) {
                        System.out.printf(
                                "ECONOMICS %s k=%d day %d: %d transactions so far (%d s)%n",
                                mode, k, i / perDay, all.size(), (System.nanoTime() - wall) / 1_000_000_000L);
                    }
                }
                ChannelClient.Parties parties = consumer.parties();
                var end = consumer.state();
                // the provider takes its earnings once, at the end of the period
                if (end.earnings().value().signum() > 0) {
                    rpc.pinBaseFee(baseFee);
                    new ChannelClient(web3j, channel, chain.transactionManager(PAYOUT), BigInteger.TEN.pow(12))
                            .withdraw();
                }
                all.addAll(transactions.collect());

                String operatorAddress = operatorKey.getAddress().toLowerCase(Locale.ROOT);
                String payoutAddress = parties.payout().toLowerCase(Locale.ROOT);
                String ownerAddress = owner.getAddress().toLowerCase(Locale.ROOT);
                var operatorTxs = all.stream()
                        .filter(t -> t.from().equals(operatorAddress))
                        .toList();
                long nonce = web3j.ethGetTransactionCount(
                                operatorAddress, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                        .send()
                        .getTransactionCount()
                        .longValueExact();
                if (nonce != operatorTxs.size()) {
                    throw new IllegalStateException(
                            "the operator sent " + nonce + " transactions, the blocks show " + operatorTxs.size());
                }
                return new Result(
                        mode,
                        k,
                        baseFee,
                        operatorTxs,
                        all.stream().filter(t -> t.from().equals(payoutAddress)).toList(),
                        all.stream().filter(t -> t.from().equals(ownerAddress)).toList(),
                        outcomes,
                        reasons(mode == Mode.BEFORE ? "gateway_redemption" : "gateway_claim", channel),
                        scenario.priceWei().multiply(BigInteger.valueOf(scenario.servedBy(steps))),
                        end.earnings().value(),
                        end.totalDeposited().value(),
                        commit);
            } finally {
                ledger.close();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Deploys release 2 and registers it with the factory (last: new channels are created on it). */
    static String deployRelease2(AnvilNode chain, String factory) {
        try {
            var release2 = io.tollgate.contracts.generated.IntermediaryRelease2.deploy(
                            chain.web3j(),
                            chain.transactionManager(DEPLOYER),
                            new org.web3j.tx.gas.DefaultGasProvider())
                    .send();
            io.tollgate.contracts.generated.IntermediaryFactory.load(
                            factory,
                            chain.web3j(),
                            chain.transactionManager(DEPLOYER),
                            new org.web3j.tx.gas.DefaultGasProvider())
                    .registerRelease(release2.getContractAddress())
                    .send();
            return release2.getContractAddress();
        } catch (Exception e) {
            throw new IllegalStateException("deploying release 2 failed", e);
        }
    }

    /** Calls numbered 0..n−1 go round the categories: how many of them fall in category {@code c} of {@code k}. */
    static long inCategory(long n, int c, int k) {
        return (n + k - 1 - c) / k;
    }

    private static ChannelState found(ChannelLookup lookup) {
        return switch (lookup) {
            case ChannelLookup.Found(ChannelState state) -> state;
            case ChannelLookup.Refused refused ->
                throw new IllegalStateException("the gateway refuses the scenario's channel: " + refused.reason());
        };
    }

    /** The next block's base fee, so the chain's fee market shows the fee level the run is judged at. */
    static void pinBaseFee(AnvilNode chain, BigInteger baseFee) {
        chain.call("anvil_setNextBlockBaseFeePerGas", List.of("0x" + baseFee.toString(16)));
    }

    /** Anvil's own methods over one HTTP client (AnvilNode.call opens a new one per call). */
    static final class Rpc {
        private final HttpService service;

        Rpc(String url) {
            service = new HttpService(url);
        }

        Object call(String method, List<?> params) {
            try {
                var response = new Request<>(method, params, service, AnvilNode.RawResponse.class).send();
                if (response.hasError()) {
                    throw new IllegalStateException(
                            method + ": " + response.getError().getMessage());
                }
                return response.getResult();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(method + " failed", e);
            }
        }

        void pinBaseFee(BigInteger baseFee) {
            call("anvil_setNextBlockBaseFeePerGas", List.of("0x" + baseFee.toString(16)));
        }
    }

    private static long latestTime(AnvilNode chain) {
        return OnChainFixtures.chainTime(chain).getEpochSecond();
    }

    /** A configuration record with the gateway's defaults, bound as Spring binds it, and the given overrides. */
    static <T> T defaults(String prefix, Class<T> type, Map<String, String> overrides) {
        var values = new HashMap<String, String>();
        // the gateway's own settings may be changed for an experiment (-Dtollgate.gateway.redemption.worth-ratio=…)
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith(prefix + "."))
                .forEach(name -> values.put(name, System.getProperty(name)));
        overrides.forEach((key, value) -> values.put(prefix + "." + key, value));
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
    }

    /** Why the journal says each redemption was started, counted. */
    private Map<String, Integer> reasons(String table, String channel) {
        var reasons = new LinkedHashMap<String, Integer>();
        try (var c = journalDatabase.getConnection();
                var s = c.prepareStatement("SELECT reason, count(*) FROM " + table + " WHERE channel = ?"
                        + " GROUP BY reason ORDER BY reason")) {
            s.setString(1, channel);
            var r = s.executeQuery();
            while (r.next()) {
                reasons.put(r.getString(1), r.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the redemption journal failed", e);
        }
        return reasons;
    }
}
