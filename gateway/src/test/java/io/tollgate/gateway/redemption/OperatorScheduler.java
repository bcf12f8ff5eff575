package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.gateway.TestDatabase;
import io.tollgate.gateway.chain.ChannelTrust;
import io.tollgate.gateway.chain.GatewayChainProperties;
import io.tollgate.gateway.chain.RefreshingChannelStateCache;
import io.tollgate.gateway.chain.Web3jChannelStateSource;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.settings.ChainProperties;
import io.tollgate.settings.Secret;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.web3j.protocol.Web3j;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The operator's redemption scheduler on anvil, wired as the gateway wires it: the channel state cache over the
 * chain, the real chain client with the operator key (anvil account 4, gas price ceiling 100 gwei), the test
 * database's journal and a Redis lease. What the on-chain redemption tests vary has a method; the defaults are a
 * configured T_r of 60 s, a safety margin of 10 s, cached state kept 50 s and an exposure share of 5000 bps.
 *
 * <pre>{@code
 * var scheduler = OperatorScheduler.on(chain, deployment, clock)
 *         .timing(T_R, Duration.ofSeconds(2), T_R.minusSeconds(2))
 *         .build(ledger, redis.template(), prefix);
 * }</pre>
 */
public final class OperatorScheduler {
    static final BigInteger CEILING = BigInteger.TEN.pow(11);

    private final AnvilNode chain;
    private final String factory;
    private final Clock clock;
    private final List<String> codeHashes = new ArrayList<>();
    private Web3j web3j;
    private Duration tolerance = Duration.ofSeconds(60);
    private Duration safetyMargin = Duration.ofSeconds(10);
    private Duration maxAge = Duration.ofSeconds(50);
    private int exposureShareBps = 5000;

    private OperatorScheduler(AnvilNode chain, Deployments.Deployment deployment, Clock clock) {
        this.chain = chain;
        this.factory = deployment.factory();
        this.clock = clock;
        this.web3j = chain.web3j();
        codeHashes.add(ChannelCode.codeHash(chain.web3j(), deployment.implementation()));
    }

    /** A scheduler for {@code deployment}'s channels (its implementation trusted) on {@code clock}. */
    public static OperatorScheduler on(AnvilNode chain, Deployments.Deployment deployment, Clock clock) {
        return new OperatorScheduler(chain, deployment, clock);
    }

    /** Reads and sends through {@code web3j} (e.g. one that counts its calls) rather than the chain's own client. */
    public OperatorScheduler through(Web3j web3j) {
        this.web3j = web3j;
        return this;
    }

    /** Trusts the channels that run {@code implementation} too (e.g. release 2). */
    public OperatorScheduler alsoTrusting(String implementation) {
        codeHashes.add(ChannelCode.codeHash(chain.web3j(), implementation));
        return this;
    }

    /**
     * The configured T_r ({@code tollgate.chain.redemption-tolerance}; a channel's own T_r rules), the safety
     * margin, and how long the cache may serve a channel's state it could not refresh.
     */
    public OperatorScheduler timing(Duration tolerance, Duration safetyMargin, Duration maxAge) {
        this.tolerance = tolerance;
        this.safetyMargin = safetyMargin;
        this.maxAge = maxAge;
        return this;
    }

    /** An exposure share of 1 bps: any unredeemed value is due for redemption. */
    public OperatorScheduler anyValueDue() {
        exposureShareBps = 1;
        return this;
    }

    /** The scheduler over {@code ledger}, its lease in {@code redis} under {@code prefix}. */
    public RedemptionScheduler build(VoucherLedger ledger, ReactiveStringRedisTemplate redis, String prefix) {
        var chainProperties = new ChainProperties(
                chain.rpcUrl(), AnvilNode.CHAIN_ID, List.of(factory), tolerance, Duration.ofMinutes(15), CEILING);
        var properties = new GatewayChainProperties(
                List.copyOf(codeHashes), safetyMargin, 1000, Map.of(), Secret.NONE, Duration.ofSeconds(5));
        var cache = new RefreshingChannelStateCache(
                new Web3jChannelStateSource(web3j, AnvilNode.CHAIN_ID, new ChannelTrust(chainProperties, properties)),
                clock,
                properties.refreshAfter(chainProperties.redemptionTolerance()),
                maxAge,
                properties.noContractRetry());
        var operator = new FastRawTransactionManager(
                web3j,
                chain.account(OnChainFixtures.OPERATOR),
                AnvilNode.CHAIN_ID,
                new PollingTransactionReceiptProcessor(web3j, 50, 600));
        return new RedemptionScheduler(
                cache,
                new Web3jRedemptionChain(web3j, operator, CEILING, clock),
                new RedemptionJournal(TestDatabase.migrated()),
                ledger,
                new RedemptionLease(redis, prefix, Duration.ofSeconds(30)),
                new RedemptionProperties(exposureShareBps, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                tolerance,
                clock);
    }
}
