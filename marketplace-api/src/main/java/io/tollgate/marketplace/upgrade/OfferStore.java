package io.tollgate.marketplace.upgrade;

import io.tollgate.marketplace.subscription.SubscriptionState;
import io.tollgate.marketplace.upgrade.UpgradeOffers.OfferState;
import io.tollgate.marketplace.upgrade.UpgradeOffers.Party;
import io.tollgate.marketplace.upgrade.UpgradeOffers.Role;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code upgrade_offer} rows and the subscriptions they are offered to. Every change of an offer is one
 * conditional statement: it happens only from the state (and nonce) the caller saw, and says whether it did.
 */
@Repository
class OfferStore {
    private static final String COLUMNS = """
            id, subscription_id, channel, state, from_implementation, from_release, target_implementation,
            target_release, consent_typehash, migration_data, nonce, deadline, owner_address, payout_address, owner_consent,
            payout_consent""";

    private final JdbcTemplate jdbc;

    OfferStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The active subscriptions (id → channel) whose consumer ({@link Role#CONSUMER}) or payout is {@code address}. */
    List<Map.Entry<Long, String>> activeSubscriptions(String address, Role role) {
        return jdbc.query(
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
    }

    Optional<OfferRow> row(long id) {
        return jdbc.query("select " + COLUMNS + " from upgrade_offer where id = ?", (rs, n) -> mapRow(rs), id).stream()
                .findFirst();
    }

    List<OfferRow> open(String channel) {
        return jdbc.query(
                "select " + COLUMNS + " from upgrade_offer where channel = ? and state = ?",
                (rs, n) -> mapRow(rs),
                channel,
                OfferState.OPEN.name());
    }

    /** Ends the open offer {@code id} in state {@code next}; false when it was no longer open. */
    boolean end(long id, OfferState next) {
        return jdbc.update(
                        "update upgrade_offer set state = ?, ended_at = now() where id = ? and state = ?",
                        next.name(),
                        id,
                        OfferState.OPEN.name())
                == 1;
    }

    /** Makes an open offer for the channel; false when it has one open already. */
    boolean offer(
            long subscription,
            String channel,
            String fromImplementation,
            int fromRelease,
            String targetImplementation,
            int targetRelease,
            String consentTypehash,
            String migrationData,
            BigInteger nonce,
            long deadline,
            String owner,
            String payout) {
        // the conflict target names the partial unique index by its predicate, which must be a literal
        return jdbc.update(
                        """
                        insert into upgrade_offer (subscription_id, channel, from_implementation, from_release,
                               target_implementation, target_release, consent_typehash, migration_data, nonce,
                               deadline, owner_address, payout_address, state)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (channel) where state = 'OPEN' do nothing""",
                        subscription,
                        channel,
                        fromImplementation,
                        fromRelease,
                        targetImplementation,
                        targetRelease,
                        consentTypehash,
                        migrationData,
                        nonce,
                        deadline,
                        owner,
                        payout,
                        OfferState.OPEN.name())
                == 1;
    }

    /** Stores {@code party}'s consent on offer {@code id} while it is open with {@code nonce}; false otherwise. */
    boolean consent(long id, Party party, String signature, BigInteger nonce) {
        String column = party == Party.OWNER ? "owner_consent" : "payout_consent";
        return jdbc.update(
                        "update upgrade_offer set " + column + " = ? where id = ? and state = ? and nonce = ?",
                        signature,
                        id,
                        OfferState.OPEN.name(),
                        nonce)
                != 0;
    }

    private static OfferRow mapRow(ResultSet rs) throws SQLException {
        return new OfferRow(
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
}
