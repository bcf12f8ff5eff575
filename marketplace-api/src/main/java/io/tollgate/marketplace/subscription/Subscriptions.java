package io.tollgate.marketplace.subscription;

import io.tollgate.marketplace.catalogue.ListingSlas;
import io.tollgate.marketplace.chain.ChannelState;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.web3j.protocol.Web3j;

/**
 * From an accepted negotiation to a live channel: the marketplace prepares the factory call for the
 * consumer's wallet (it never holds a consumer key), then verifies the created channel on chain against every
 * agreed term (owner, signer, payout, operator, token, epoch-1 prices = the accepted offer, T_r, T_c, SLA terms)
 * before activating the subscription; gateways serve a channel only as such a verified subscription of its listing
 * ({@code GET /api/gateway/channels/{address}}). On release 2 (the factory's latest release) a channel's SLA
 * windows start at its creation and the call carries the listing's report period; on release 1 the first window
 * started at the next whole minute after the call was prepared. A channel created outside the web UI is registered by its consumer ({@link #register}) and
 * verified the same way.
 *
 * <p>This class is the entry point and makes its parts, where the work is: {@link ChannelCreation} (the factory
 * call for the wallet, the permit step), {@link SubscriptionActivation} (activation and registration), {@link
 * ChannelVerification} (the channel on chain against the agreed terms) and {@link SubscriptionStore} (the SQL).
 */
@Service
public class Subscriptions {
    static final String ZERO = "0x0000000000000000000000000000000000000000";

    private final ChannelCreation creation;
    private final SubscriptionActivation activation;
    private final SubscriptionStore store;

    Subscriptions(
            SubscriptionStore store,
            FactoryPermits permits,
            Web3j web3j,
            ChainProperties chain,
            ListingSlas slas,
            Clock clock) {
        this.creation = new ChannelCreation(store, web3j, chain, slas, clock, permits);
        this.activation = new SubscriptionActivation(
                store, new ChannelVerification(web3j, permits, store), web3j, chain, slas, clock);
        this.store = store;
    }

    /**
     * What the consumer's wallet does to create and fund the channel, in {@code steps}. An ether listing: one
     * transaction, {@code createChannel} on the factory with the deposit as value, which {@code to}, {@code data}
     * and {@code valueWei} also give (as before tokens). A token listing ({@code to}, {@code data} null): where the
     * token takes EIP-2612 permits, one permit to sign (posted to {@code /api/subscriptions/{id}/permit}, which
     * answers the one {@code createChannelWithPermit} transaction); otherwise {@code approve} on the token for the
     * factory, then {@code createChannelWithPermit} without a permit (the factory takes the approved amount).
     *
     * @param deposit the deposit in the token's smallest unit (wei for ether)
     */
    public record PreparedCall(
            long subscription,
            long chainId,
            @Nullable String to,
            @Nullable String data,
            String valueWei,
            Token token,
            String deposit,
            List<FundingStep> steps) {}

    /** The listing's money: ether (the zero address, ETH, 18) or its ERC-20's address, symbol and decimals. */
    public record Token(String address, String symbol, int decimals) {
        static Token of(String address, TokenUnit unit) {
            return new Token(address.toLowerCase(Locale.ROOT), unit.symbol(), unit.decimals());
        }

        boolean ether() {
            return ZERO.equals(address);
        }

        TokenUnit unit() {
            return new TokenUnit(symbol, decimals);
        }
    }

    /**
     * @param chainState the channel as the chain indexer last saw it: OPEN, CLOSING or CLOSED (null: not indexed
     *     yet)
     */
    public record View(
            long id,
            long negotiation,
            SubscriptionState state,
            String signer,
            String channel,
            @Nullable ChannelState chainState) {}

    /** Records the pending subscription with the terms it is prepared with, and answers the wallet's steps. */
    @Transactional
    public PreparedCall prepare(long negotiation, String consumer, String signer, Wei deposit) {
        return creation.prepare(negotiation, consumer, signer, deposit);
    }

    /**
     * The consumer's signed permit for a token subscription prepared with {@link #prepare}: checked (the prepared
     * deposit, before its deadline, signed by the consumer's wallet; else {@code permit-refused}) and answered with
     * the one transaction to send, {@code createChannelWithPermit} on the factory.
     */
    @Transactional(readOnly = true)
    public FundingStep permit(long subscription, String consumer, FactoryPermits.Signed signed) {
        return creation.permit(subscription, consumer, signed);
    }

    /** What a subscription to the accepted {@code negotiation} is funded in, before the deposit is chosen. */
    @Transactional(readOnly = true)
    public Token token(long negotiation, String consumer) {
        return creation.token(negotiation, consumer);
    }

    /** Verifies {@code channel} on chain against the accepted offer and activates the subscription. */
    @Transactional
    public View activate(long subscription, String consumer, String channel) {
        return activation.activate(subscription, consumer, channel);
    }

    /**
     * Registers a channel its consumer created outside the web UI (their own wallet or script, through the
     * factory) for an accepted negotiation: verified on chain exactly as {@link #activate} does, with the
     * marketplace's T_r and T_c and the listing's SLA terms; the signer is the channel's, and the first SLA window
     * starts where the channel says, which must be a whole minute no earlier than two minutes before now (a
     * consumer cannot reach back into a past outage).
     */
    @Transactional
    public View register(long negotiation, String consumer, String channel) {
        return activation.register(negotiation, consumer, channel);
    }

    @Transactional(readOnly = true)
    public List<View> mine(String consumer) {
        return store.mine(consumer);
    }
}
