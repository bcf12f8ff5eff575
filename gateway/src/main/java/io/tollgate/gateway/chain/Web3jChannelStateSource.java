package io.tollgate.gateway.chain;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.ChannelState;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.pricing.Wei;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads channels from the chain through the contracts module's client (blocking web3j calls, run on
 * {@code boundedElastic}): refuses an address without code, a channel its claimed factory did not create or
 * that factory this gateway does not trust, and an implementation whose code hash it does not know; otherwise
 * maps {@code state()}, {@code parties()} (owner, token, T_r, T_c: what admission compares with the agreed terms)
 * and the expiring epoch's {@code pricesOf} into a {@link io.tollgate.gateway.chain.ChannelState}. The release
 * is asked once per implementation ({@code release()}; none on release 1); for a channel of release 2 it also
 * reads {@code credit()}: the oldest open epoch and the credit limit the exposure check compares with.
 */
public final class Web3jChannelStateSource implements ChannelStateSource {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Web3jChannelStateSource.class);
    private final Web3j web3j;
    private final long chainId;
    private final ChannelTrust trust;
    /** The release of each implementation seen (code never changes at an address). */
    private final Map<String, Integer> releases = new java.util.concurrent.ConcurrentHashMap<>();

    public Web3jChannelStateSource(Web3j web3j, long chainId, ChannelTrust trust) {
        this.web3j = web3j;
        this.chainId = chainId;
        this.trust = trust;
    }

    @Override
    public Mono<ChannelLookup> read(String channel) {
        return Mono.fromCallable(() -> readBlocking(channel.toLowerCase(Locale.ROOT)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private ChannelLookup readBlocking(String channel) {
        if (!ChannelCode.hasCode(web3j, channel)) {
            log.atInfo().addKeyValue("channel", channel).log("no contract at the channel address");
            return new ChannelLookup.Refused(ChannelLookup.Reason.NO_CONTRACT);
        }
        var client = ChannelClient.readOnly(web3j, channel);
        ChannelClient.Parties parties;
        ChannelState state;
        try {
            parties = client.parties();
            state = client.state();
        } catch (IllegalStateException notAnIntermediary) {
            // a node that does not answer throws UncheckedIOException instead: an error, not a refusal
            log.atInfo().addKeyValue("channel", channel).log("not an Intermediary: {}", notAnIntermediary.getMessage());
            return new ChannelLookup.Refused(ChannelLookup.Reason.UNKNOWN_CHANNEL);
        }
        if (!FactoryClient.createdBy(web3j, parties.factory(), channel)) {
            return new ChannelLookup.Refused(ChannelLookup.Reason.UNKNOWN_FACTORY);
        }
        Optional<ChannelLookup.Reason> refusal =
                trust.refusal(parties.factory(), ChannelCode.codeHash(web3j, state.implementation()));
        if (refusal.isPresent()) {
            return new ChannelLookup.Refused(refusal.get());
        }
        Map<Long, EpochTerms> epochs = new HashMap<>();
        if (state.expiringEpoch() != 0) {
            epochs.put(
                    state.expiringEpoch(),
                    new EpochTerms(
                                    state.expiringEpoch(),
                                    client.pricesOf(state.expiringEpoch()),
                                    Optional.of(state.expiringUntil()))
                            .signedBy(client.signerOf(state.expiringEpoch()).toLowerCase(Locale.ROOT)));
        }
        epochs.putIfAbsent(
                state.activeEpoch(), new EpochTerms(state.activeEpoch(), state.activePrices(), Optional.empty()));
        int release = releases.computeIfAbsent(
                state.implementation().toLowerCase(Locale.ROOT), impl -> ChannelCode.releaseOf(web3j, impl));
        long oldest = state.expiringEpoch() != 0 ? state.expiringEpoch() : state.activeEpoch();
        Wei creditLimit = state.unredeemed();
        if (release >= 2) {
            var credit = client.credit();
            oldest = credit.oldestOpenEpoch();
            creditLimit = credit.total();
        }
        return new ChannelLookup.Found(new io.tollgate.gateway.chain.ChannelState(
                channel,
                chainId,
                parties.factory().toLowerCase(Locale.ROOT),
                parties.payout().toLowerCase(Locale.ROOT),
                state.signer().toLowerCase(Locale.ROOT),
                state.activeEpoch(),
                epochs,
                state.unredeemed(),
                oldest,
                state.closeAt(),
                state.closed(),
                new io.tollgate.gateway.chain.ChannelState.Parties(
                        parties.owner(), parties.token(), state.operator(), parties.tolerance(), parties.closeDelay()),
                release,
                creditLimit,
                Optional.of(state.pendingSigner())
                        .filter(a -> !a.equalsIgnoreCase(io.tollgate.gateway.chain.ChannelState.ETHER))));
    }
}
