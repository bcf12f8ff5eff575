package io.tollgate.contracts.testing;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
}
