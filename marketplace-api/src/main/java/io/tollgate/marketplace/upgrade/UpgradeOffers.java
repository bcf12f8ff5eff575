package io.tollgate.marketplace.upgrade;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.marketplace.upgrade.UpgradeChain.OnChain;
import io.tollgate.settings.ChainProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.web3j.utils.Numeric;

/**
 * Upgrade offers for live channels. For each active subscription whose channel runs an older release than the
 * factory's latest, the marketplace offers the latest: the consent typed data of the channel's current release
 * ({@link ConsentFormat}) with the channel's upgrade nonce and a deadline (chain time + the consent validity).
 * The owner signs it in the consumer's page, the payout in the provider's; each consent is checked on submission
 * against the exact digest the channel will check, and must recover to that party as the chain names it (read at
 * every call: a caller touches only offers of channels it is the owner or payout of). With both consents the
 * offer carries the {@code upgradeWithConsent} call anyone may send; when the channel's implementation is the
 * target the offer is done. The chain is read on every call, so an offer follows the channel: expired when the
 * chain's time passed the deadline, stale when the nonce or the implementation moved another way ({@link
 * OfferLifecycle}). The rows are {@link OfferStore}'s, the chain reads {@link UpgradeChain}'s, the signature checks
 * {@link ConsentSignatures}'.
 */
@Service
public class UpgradeOffers {

    /** Who the caller is to a channel: its consumer signs as owner, its provider as payout. */
    public enum Role {
        CONSUMER,
        PROVIDER
    }

    /** The party a consent is from. */
    public enum Party {
        OWNER,
        PAYOUT
    }

    /** Where an offer is: open for consents, or ended one of three ways. */
    public enum OfferState {
        OPEN,
        DONE,
        EXPIRED,
        STALE
    }

    /** A transaction to send from any wallet. */
    public record Call(String to, String data) {}

    /**
     * An offer as both parties see it.
     *
     * @param nonce the channel's upgrade nonce the consents carry (decimal)
     * @param deadline the last chain second the upgrade may be sent (unix seconds)
     * @param typedData what the wallet signs ({@code eth_signTypedData_v4})
     * @param upgradeCall the {@code upgradeWithConsent} call, once both consents are in and while the offer is open
     */
    public record Offer(
            long id,
            String channel,
            OfferState state,
            String fromImplementation,
            int fromRelease,
            String targetImplementation,
            int targetRelease,
            String migrationData,
            String nonce,
            long deadline,
            Instant deadlineAt,
            String owner,
            String payout,
            boolean ownerConsented,
            boolean payoutConsented,
            Map<String, Object> typedData,
            Call upgradeCall) {}

    /**
     * One of the caller's channels: the release it runs (index in the factory's release list + 1; 0 for an
     * implementation the factory never registered) and its open offer, if any.
     */
    public record ChannelRelease(
            String channel, long subscription, String implementation, int release, int latestRelease, Offer offer) {}

    private final OfferStore store;
    private final OfferLifecycle lifecycle;
    private final UpgradeChain onChain;
    private final ChainProperties chain;

    UpgradeOffers(OfferStore store, OfferLifecycle lifecycle, UpgradeChain onChain, ChainProperties chain) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.onChain = onChain;
        this.chain = chain;
    }

    /** The caller's live channels in {@code role}, each with its release and open upgrade offer. */
    public List<ChannelRelease> mine(String caller, Role role) {
        String address = caller.toLowerCase(Locale.ROOT);
        var subscriptions = store.activeSubscriptions(address, role);
        List<ChannelRelease> channels = new ArrayList<>();
        for (var subscription : subscriptions) {
            String channel = subscription.getValue();
            Optional<OnChain> read = onChain.read(channel);
            if (read.isEmpty()) {
                continue; // not a channel of this marketplace's factory on this chain
            }
            OnChain now = read.get();
            String party = role == Role.CONSUMER ? now.owner() : now.payout();
            if (!party.equals(address)) {
                continue; // the chain names someone else: not the caller's channel in this role
            }
            Optional<OfferRow> open = lifecycle.refresh(subscription.getKey(), channel, now);
            channels.add(new ChannelRelease(
                    channel,
                    subscription.getKey(),
                    now.implementation(),
                    now.release(),
                    now.releases().size(),
                    open.map(this::view).orElse(null)));
        }
        return channels;
    }

    /** One offer, for its channel's owner or payout only. */
    public Offer offer(long id, String caller) {
        OfferRow row = row(id);
        OnChain now = onChain.read(row.channel()).orElseThrow(() -> notYours(id));
        String address = caller.toLowerCase(Locale.ROOT);
        if (!address.equals(now.owner()) && !address.equals(now.payout())) {
            throw notYours(id);
        }
        lifecycle.refresh(row.subscription(), row.channel(), now);
        return view(row(id));
    }

    /**
     * A party's consent: {@code caller} must be that party of the offer's channel as the chain names it now, the
     * offer open (not expired, its nonce the channel's), and {@code signature} (65 bytes r‖s‖v, low s) must recover
     * to that party from the offer's digest.
     */
    public Offer consent(long id, String caller, Party party, String signature) {
        OfferRow row = row(id);
        OnChain now = onChain.read(row.channel()).orElseThrow(() -> notYours(id));
        String address = caller.toLowerCase(Locale.ROOT);
        String expected = party == Party.OWNER ? now.owner() : now.payout();
        if (!address.equals(expected)) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    "you (" + address + ") are not the " + party.name().toLowerCase(Locale.ROOT) + " of channel "
                            + row.channel() + ": only its " + party.name().toLowerCase(Locale.ROOT) + " consents as "
                            + (party == Party.OWNER ? "consumer" : "provider"),
                    Map.of("offer", id, "channel", row.channel()));
        }
        lifecycle.refresh(row.subscription(), row.channel(), now);
        OfferRow current = row(id);
        requireOpen(current);
        byte[] bytes = ConsentSignatures.bytes(signature);
        ConsentFormat format = format(current);
        byte[] digest = format.digest(terms(current));
        String recovered = ConsentSignatures.recover(digest, bytes);
        if (!recovered.equals(expected)) {
            throw new ApiProblem(
                    ProblemType.UPGRADE_CONSENT_REFUSED,
                    "the consent recovers to " + recovered + ", not the channel's "
                            + party.name().toLowerCase(Locale.ROOT) + " " + expected
                            + ": sign this offer's typed data (implementation " + current.targetImplementation()
                            + ", nonce " + current.nonce() + ", deadline " + current.deadline() + ") with the "
                            + party.name().toLowerCase(Locale.ROOT) + "'s key",
                    Map.of("offer", id, "recovered", recovered, "expected", expected));
        }
        if (!store.consent(id, party, Numeric.toHexString(bytes), current.nonce())) {
            throw ended(row(id));
        }
        return view(row(id));
    }

    // ------------------------------------------------------------------------------------------- internals

    private static void requireOpen(OfferRow row) {
        if (row.state() != OfferState.OPEN) {
            throw ended(row);
        }
    }

    private static ApiProblem ended(OfferRow row) {
        String why = switch (row.state()) {
            case OPEN -> "it was replaced while you consented";
            case DONE -> "the channel already runs release " + row.targetRelease();
            case EXPIRED ->
                "its deadline " + Instant.ofEpochSecond(row.deadline())
                        + " (chain time) has passed: fetch the channel's new offer and sign that";
            case STALE ->
                "the channel's upgrade nonce or implementation changed since (nonce was " + row.nonce()
                        + "): fetch the channel's new offer and sign that";
        };
        return new ApiProblem(
                ProblemType.UPGRADE_OFFER_ENDED,
                "upgrade offer " + row.id() + " is " + row.state().name().toLowerCase(Locale.ROOT) + ": " + why,
                Map.of("offer", row.id(), "state", row.state().name(), "channel", row.channel()));
    }

    private static ApiProblem notYours(long id) {
        return new ApiProblem(
                ProblemType.NOT_FOUND,
                "no upgrade offer " + id + " of a channel you are the owner or payout of",
                Map.of("offer", id));
    }

    private Offer view(OfferRow row) {
        ConsentFormat format = format(row);
        var terms = terms(row);
        Call call = null;
        if (row.state() == OfferState.OPEN && row.ownerConsent() != null && row.payoutConsent() != null) {
            String data = onChain.upgradeCallData(
                    row.channel(),
                    row.targetImplementation(),
                    row.migrationData(),
                    row.deadline(),
                    row.ownerConsent(),
                    row.payoutConsent());
            call = new Call(row.channel(), data);
        }
        return new Offer(
                row.id(),
                row.channel(),
                row.state(),
                row.fromImplementation(),
                row.fromRelease(),
                row.targetImplementation(),
                row.targetRelease(),
                row.migrationData(),
                row.nonce().toString(),
                row.deadline(),
                Instant.ofEpochSecond(row.deadline()),
                row.owner(),
                row.payout(),
                row.ownerConsent() != null,
                row.payoutConsent() != null,
                format.typedData(terms),
                call);
    }

    private ConsentFormat format(OfferRow row) {
        return ConsentFormat.of(Numeric.hexStringToByteArray(row.consentTypehash()))
                .orElseThrow(() -> new IllegalStateException("offer " + row.id() + " carries consent type hash "
                        + row.consentTypehash() + ", whose format this marketplace does not know"));
    }

    private ConsentFormat.Terms terms(OfferRow row) {
        return new ConsentFormat.Terms(
                chain.chainId(),
                row.channel(),
                row.targetImplementation(),
                row.migrationData(),
                row.nonce(),
                row.deadline());
    }

    private OfferRow row(long id) {
        return store.row(id).orElseThrow(() -> notYours(id));
    }
}
