package io.tollgate.contracts.testing;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.TransactionManager;

/**
 * The on-chain set-ups tests share, with anvil's accounts in their usual roles: 0 deploys, 1 owns the channel
 * (and pays for creating it), 2 signs vouchers, 3 is paid out, 4 operates (redeems).
 *
 * <pre>{@code
 * var deployment = OnChainFixtures.freshDeployment(chain);
 * var channel = OnChainFixtures.channel(chain, deployment.factory(), OnChainFixtures.terms(chain, prices, tr, tc), deposit);
 * }</pre>
 */
public final class OnChainFixtures {
    public static final int DEPLOYER = 0;
    public static final int OWNER = 1;
    public static final int SIGNER = 2;
    public static final int PAYOUT = 3;
    public static final int OPERATOR = 4;

    private OnChainFixtures() {}

    /**
     * Moves the deployer's nonce to a fresh value, so that the contracts it deploys get addresses no earlier run
     * had: the shared test database and Redis remember channels of earlier runs.
     */
    public static void freshDeployerNonce(AnvilNode chain) {
        chain.call(
                "anvil_setNonce",
                List.of(
                        chain.account(DEPLOYER).getAddress(),
                        "0x" + Long.toHexString(System.nanoTime() % 1_000_000_000L)));
    }

    /** Deploys the factory with release 1 from a {@linkplain #freshDeployerNonce fresh deployer nonce}. */
    public static Deployments.Deployment freshDeployment(AnvilNode chain) {
        freshDeployerNonce(chain);
        return Deployments.deploy(chain.web3j(), chain.transactionManager(DEPLOYER));
    }

    /** Ether channel terms: owner account 1, signer account 2, payout account 3, operator account 4. */
    public static ChannelTerms terms(AnvilNode chain, PriceTable prices, Duration tolerance, Duration closeDelay) {
        return terms(chain, chain.account(SIGNER).getAddress(), prices, tolerance, closeDelay);
    }

    /** As {@link #terms(AnvilNode, PriceTable, Duration, Duration)}, with another voucher signer. */
    public static ChannelTerms terms(
            AnvilNode chain, String signer, PriceTable prices, Duration tolerance, Duration closeDelay) {
        return new ChannelTerms(
                chain.account(OWNER).getAddress(),
                signer,
                chain.account(PAYOUT).getAddress(),
                chain.account(OPERATOR).getAddress(),
                Optional.empty(),
                prices,
                tolerance,
                closeDelay);
    }

    /** Creates the channel for {@code terms} through {@code factory}, as (and paid by) account 1. */
    public static ChannelClient channel(AnvilNode chain, String factory, ChannelTerms terms, Wei deposit) {
        return channel(chain, factory, terms, SlaTerms.none(), deposit);
    }

    /** As {@link #channel(AnvilNode, String, ChannelTerms, Wei)}, with SLA terms. */
    public static ChannelClient channel(
            AnvilNode chain, String factory, ChannelTerms terms, SlaTerms sla, Wei deposit) {
        return FactoryClient.create(chain.web3j(), chain.transactionManager(OWNER), factory, terms, sla, deposit);
    }

    /** The latest block's timestamp: the chain's "now", which tests that move the chain's time read instead of a clock. */
    public static Instant chainTime(AnvilNode chain) {
        try {
            return Instant.ofEpochSecond(chain.web3j()
                    .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                    .send()
                    .getBlock()
                    .getTimestamp()
                    .longValueExact());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the latest block of " + chain.rpcUrl() + " failed", e);
        }
    }

    /** Deploys the demo dollar (DemoUsd) as account 0 and gives {@code holder} {@code units} of it from its faucet. */
    public static String demoUsd(AnvilNode chain, int holder, BigInteger units) {
        String usd = TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(DEPLOYER));
        TokenPermits.faucet(chain.web3j(), chain.transactionManager(holder), usd, new Wei(units));
        return usd;
    }

    /**
     * Creates and funds the token channel for {@code terms} (its token a permit token, e.g. DemoUsd) in one
     * transaction of {@code owner}'s, sent through {@code transactions}, with a permit to {@code factory} for
     * {@code deposit} that {@code owner} signs here, valid for an hour of chain time.
     */
    public static ChannelClient permitChannel(
            AnvilNode chain,
            String factory,
            Credentials owner,
            TransactionManager transactions,
            ChannelTerms terms,
            Wei deposit) {
        var permit = TokenPermits.sign(
                chain.web3j(),
                terms.token().orElseThrow(),
                owner,
                factory,
                deposit,
                chainTime(chain).plus(Duration.ofHours(1)));
        return new FactoryClient(chain.web3j(), factory, transactions, BigInteger.TEN.pow(12))
                .createChannelWithPermit(terms, SlaTerms.none(), permit);
    }
}
