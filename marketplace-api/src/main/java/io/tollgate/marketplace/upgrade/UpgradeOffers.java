package io.tollgate.marketplace.upgrade;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.marketplace.subscription.SubscriptionState;
import io.tollgate.protocol.Signatures;
import io.tollgate.settings.ChainProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
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
 * chain's time passed the deadline, stale when the nonce or the implementation moved another way.
 */
@Service
public class UpgradeOffers {
    private static final Logger log = LoggerFactory.getLogger(UpgradeOffers.class);
    private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

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

    private record Row(
            long id,
            long subscription,
            String channel,
            OfferState state,
            String fromImplementation,
            int fromRelease,
            String targetImplementation,
            int targetRelease,
            String consentTypehash,
            String migrationData,
            BigInteger nonce,
            long deadline,
            String owner,
            String payout,
            String ownerConsent,
            String payoutConsent) {}

    /** What the chain says of a channel now. */
    private record OnChain(
            String implementation,
            int release,
            List<String> releases,
            byte[] consentTypehash,
            BigInteger nonce,
            String owner,
            String payout,
            boolean closed,
            long now) {}

    private final JdbcTemplate jdbc;
    private final Web3j web3j;
    private final ChainProperties chain;
    private final UpgradeProperties properties;

    UpgradeOffers(JdbcTemplate jdbc, Web3j web3j, ChainProperties chain, UpgradeProperties properties) {
        this.jdbc = jdbc;
        this.web3j = web3j;
        this.chain = chain;
        this.properties = properties;
    }

    /** The caller's live channels in {@code role}, each with its release and open upgrade offer. */
    public List<ChannelRelease> mine(String caller, Role role) {
        String address = caller.toLowerCase(Locale.ROOT);
        var subscriptions = jdbc.query(
                role == Role.CONSUMER ? """
                        select s.id, s.channel_address from subscription s
                        where s.consumer_address = ? and s.state = ? order by s.id""" : """
                        select s.id, s.channel_address from subscription s
                        join negotiation n on n.id = s.negotiation_id join listing l on l.id = n.listing_id
                        join provider p on p.id = l.provider_id
                        where p.payout_address = ? and s.state = ? order by s.id""",
                (rs, n) -> Map.entry(rs.getLong(1), rs.getString(2)),
                address,
                SubscriptionState.ACTIVE.name());
        List<ChannelRelease> channels = new ArrayList<>();
        for (var subscription : subscriptions) {
            String channel = subscription.getValue();
            Optional<OnChain> onChain = read(channel);
            if (onChain.isEmpty()) {
                continue; // not a channel of this marketplace's factory on this chain
            }
            OnChain now = onChain.get();
            String party = role == Role.CONSUMER ? now.owner() : now.payout();
            if (!party.equals(address)) {
                continue; // the chain names someone else: not the caller's channel in this role
            }
            Optional<Row> open = refresh(subscription.getKey(), channel, now);
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
        Row row = row(id);
        OnChain now = read(row.channel()).orElseThrow(() -> notYours(id));
        String address = caller.toLowerCase(Locale.ROOT);
        if (!address.equals(now.owner()) && !address.equals(now.payout())) {
            throw notYours(id);
        }
        refresh(row.subscription(), row.channel(), now);
        return view(row(id));
    }

    /**
     * A party's consent: {@code caller} must be that party of the offer's channel as the chain names it now, the
     * offer open (not expired, its nonce the channel's), and {@code signature} (65 bytes r‖s‖v, low s) must recover
     * to that party from the offer's digest.
     */
    public Offer consent(long id, String caller, Party party, String signature) {
        Row row = row(id);
        OnChain now = read(row.channel()).orElseThrow(() -> notYours(id));
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
        refresh(row.subscription(), row.channel(), now);
        Row current = row(id);
        requireOpen(current);
        byte[] bytes = signatureBytes(signature);
        ConsentFormat format = format(current);
        byte[] digest = format.digest(terms(current));
        String recovered = recover(digest, bytes);
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
        String column = party == Party.OWNER ? "owner_consent" : "payout_consent";
        int stored = jdbc.update(
                "update upgrade_offer set " + column + " = ? where id = ? and state = ? and nonce = ?",
                Numeric.toHexString(bytes),
                id,
                OfferState.OPEN.name(),
                current.nonce());
        if (stored == 0) {
            throw ended(row(id));
        }
        return view(row(id));
    }

    // ------------------------------------------------------------------------------------------- internals

    /**
     * Brings the channel's offers in line with the chain (one conditional statement per transition) and makes an
     * offer when the channel runs an older release and has none open; returns the open offer.
     */
    private Optional<Row> refresh(long subscription, String channel, OnChain now) {
        for (Row open : open(channel)) {
            OfferState next;
            if (now.implementation().equals(open.targetImplementation())) {
                next = OfferState.DONE;
            } else if (!now.nonce().equals(open.nonce())
                    || !now.implementation().equals(open.fromImplementation())) {
                next = OfferState.STALE;
            } else if (now.now() > open.deadline()) {
                next = OfferState.EXPIRED;
            } else {
                continue;
            }
            if (jdbc.update(
                            "update upgrade_offer set state = ?, ended_at = now() where id = ? and state = ?",
                            next.name(),
                            open.id(),
                            OfferState.OPEN.name())
                    == 1) {
                log.atInfo()
                        .addKeyValue("channel", channel)
                        .addKeyValue("offer", open.id())
                        .addKeyValue("outcome", next)
                        .log("upgrade offer ended");
            }
        }
        int latest = now.releases().size();
        if (now.release() >= 1
                && now.release() < latest
                && !now.closed()
                && open(channel).isEmpty()) {
            Optional<ConsentFormat> format = ConsentFormat.of(now.consentTypehash());
            if (format.isPresent()) {
                // the conflict target names the partial unique index by its predicate, which must be a literal
                int made = jdbc.update(
                        """
                        insert into upgrade_offer (subscription_id, channel, from_implementation, from_release,
                               target_implementation, target_release, consent_typehash, migration_data, nonce,
                               deadline, owner_address, payout_address, state)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (channel) where state = 'OPEN' do nothing""",
                        subscription,
                        channel,
                        now.implementation(),
                        now.release(),
                        now.releases().getLast(),
                        latest,
                        Numeric.toHexString(format.get().typehash()),
                        format.get().migrationData(),
                        now.nonce(),
                        now.now() + properties.consentValidity().toSeconds(),
                        now.owner(),
                        now.payout(),
                        OfferState.OPEN.name());
                if (made == 1) {
                    log.atInfo()
                            .addKeyValue("channel", channel)
                            .addKeyValue("fromRelease", now.release())
                            .addKeyValue("targetRelease", latest)
                            .log("upgrade offered");
                }
            }
        }
        return open(channel).stream().findFirst();
    }

    private static void requireOpen(Row row) {
        if (row.state() != OfferState.OPEN) {
            throw ended(row);
        }
    }

    private static ApiProblem ended(Row row) {
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

    private Offer view(Row row) {
        ConsentFormat format = format(row);
        var terms = terms(row);
        Call call = null;
        if (row.state() == OfferState.OPEN && row.ownerConsent() != null && row.payoutConsent() != null) {
            String data = Intermediary.load(
                            row.channel(),
                            web3j,
                            new ReadonlyTransactionManager(web3j, ZERO_ADDRESS),
                            new DefaultGasProvider())
                    .upgradeWithConsent(
                            row.targetImplementation(),
                            Numeric.hexStringToByteArray(row.migrationData()),
                            BigInteger.valueOf(row.deadline()),
                            Numeric.hexStringToByteArray(row.ownerConsent()),
                            Numeric.hexStringToByteArray(row.payoutConsent()))
                    .encodeFunctionCall();
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

    private ConsentFormat format(Row row) {
        return ConsentFormat.of(Numeric.hexStringToByteArray(row.consentTypehash()))
                .orElseThrow(() -> new IllegalStateException("offer " + row.id() + " carries consent type hash "
                        + row.consentTypehash() + ", whose format this marketplace does not know"));
    }

    private ConsentFormat.Terms terms(Row row) {
        return new ConsentFormat.Terms(
                chain.chainId(),
                row.channel(),
                row.targetImplementation(),
                row.migrationData(),
                row.nonce(),
                row.deadline());
    }

    private static final String COLUMNS = """
            id, subscription_id, channel, state, from_implementation, from_release, target_implementation,
            target_release, consent_typehash, migration_data, nonce, deadline, owner_address, payout_address, owner_consent,
            payout_consent""";

    private Row row(long id) {
        return jdbc.query("select " + COLUMNS + " from upgrade_offer where id = ?", (rs, n) -> mapRow(rs), id).stream()
                .findFirst()
                .orElseThrow(() -> notYours(id));
    }

    private List<Row> open(String channel) {
        return jdbc.query(
                "select " + COLUMNS + " from upgrade_offer where channel = ? and state = ?",
                (rs, n) -> mapRow(rs),
                channel,
                OfferState.OPEN.name());
    }

    private static Row mapRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(
                rs.getLong("id"),
                rs.getLong("subscription_id"),
                rs.getString("channel"),
                OfferState.valueOf(rs.getString("state")),
                rs.getString("from_implementation"),
                rs.getInt("from_release"),
                rs.getString("target_implementation"),
                rs.getInt("target_release"),
                rs.getString("consent_typehash"),
                rs.getString("migration_data"),
                rs.getBigDecimal("nonce").toBigIntegerExact(),
                rs.getLong("deadline"),
                rs.getString("owner_address"),
                rs.getString("payout_address"),
                rs.getString("owner_consent"),
                rs.getString("payout_consent"));
    }

    /** The channel as the chain says now; empty when it is not a channel of the configured factory here. */
    private Optional<OnChain> read(String channel) {
        String factory = chain.newChannelFactory().orElse(null);
        if (factory == null || factory.isBlank() || !ChannelClient.hasCode(web3j, channel)) {
            return Optional.empty();
        }
        if (!ChannelClient.createdBy(web3j, factory, channel)) {
            return Optional.empty();
        }
        var readOnly = new ReadonlyTransactionManager(web3j, ZERO_ADDRESS);
        var client = ChannelClient.readOnly(web3j, channel);
        var state = client.state();
        var parties = client.parties();
        try {
            @SuppressWarnings("unchecked")
            List<String> releases = ((List<Object>)
                            IntermediaryFactory.load(factory, web3j, readOnly, new DefaultGasProvider())
                                    .releases()
                                    .send())
                    .stream().map(r -> r.toString().toLowerCase(Locale.ROOT)).toList();
            var contract = Intermediary.load(channel, web3j, readOnly, new DefaultGasProvider());
            BigInteger nonce = contract.upgradeNonce().send();
            byte[] typehash = contract.UPGRADE_CONSENT_TYPEHASH().send();
            long now = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                    .send()
                    .getBlock()
                    .getTimestamp()
                    .longValueExact();
            String implementation = state.implementation().toLowerCase(Locale.ROOT);
            return Optional.of(new OnChain(
                    implementation,
                    releases.indexOf(implementation) + 1,
                    releases,
                    typehash,
                    nonce,
                    parties.owner().toLowerCase(Locale.ROOT),
                    parties.payout().toLowerCase(Locale.ROOT),
                    state.closed(),
                    now));
        } catch (IOException e) {
            throw new UncheckedIOException("the node did not answer", e);
        } catch (Exception e) {
            throw new IllegalStateException("reading channel " + channel + " failed: " + e.getMessage(), e);
        }
    }

    private static byte[] signatureBytes(String signature) {
        if (signature == null || !signature.matches("0x[0-9a-fA-F]{130}")) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "a consent is a 65-byte signature r‖s‖v as 0x and 130 hex digits (what eth_signTypedData_v4 answers)",
                    Map.of());
        }
        return Numeric.hexStringToByteArray(signature);
    }

    /** The signer of {@code digest}; high-s signatures are refused as the contract (OpenZeppelin ECDSA) does. */
    private static String recover(byte[] digest, byte[] signature) {
        byte[] r = java.util.Arrays.copyOfRange(signature, 0, 32);
        byte[] s = java.util.Arrays.copyOfRange(signature, 32, 64);
        int v = signature[64] & 0xff;
        if (v < 27) {
            v += 27;
        }
        if ((v != 27 && v != 28) || !Signatures.isLowS(new BigInteger(1, s))) {
            throw new ApiProblem(
                    ProblemType.UPGRADE_CONSENT_REFUSED,
                    "the consent is not a canonical signature (v must be 27 or 28, s in the lower half): the channel"
                            + " would refuse it",
                    Map.of());
        }
        try {
            BigInteger key = Sign.signedMessageHashToKey(digest, new Sign.SignatureData((byte) v, r, s));
            return "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
        } catch (java.security.SignatureException e) {
            throw new ApiProblem(
                    ProblemType.UPGRADE_CONSENT_REFUSED, "no signer can be recovered from the consent", Map.of());
        }
    }
}
