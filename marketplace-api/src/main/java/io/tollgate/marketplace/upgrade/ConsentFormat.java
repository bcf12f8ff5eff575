package io.tollgate.marketplace.upgrade;

import io.tollgate.protocol.Address;
import io.tollgate.protocol.Eip712;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a channel's owner and payout sign to consent to an upgrade, as the release the channel runs <em>now</em>
 * defines it (its {@code upgradeWithConsent} checks the consent, so the format is the current release's, not the
 * target's): the EIP-712 typed data for the wallet ({@code eth_signTypedData_v4}), the digest the contract
 * recovers the signers from, and the migration data the upgrade from that release sends. The channel's code names
 * its format by its {@code UPGRADE_CONSENT_TYPEHASH}; a release with another consent format (release 2 adds the
 * migration data's hash) is one more record here and one more case of {@link #of}.
 */
sealed interface ConsentFormat {
    /** What a consent names: the channel (the EIP-712 verifying contract), the target and the channel's nonce. */
    record Terms(
            long chainId,
            String channel,
            String implementation,
            String migrationData,
            BigInteger nonce,
            long deadline) {}

    /** The format of the code a channel runs, by the consent type hash that code declares; empty if unknown. */
    static Optional<ConsentFormat> of(byte[] consentTypehash) {
        if (Arrays.equals(consentTypehash, Release1.TYPEHASH)) {
            return Optional.of(new Release1());
        }
        return Optional.empty();
    }

    /** The {@code UPGRADE_CONSENT_TYPEHASH} of the code this format is for. */
    byte[] typehash();

    /** The migration call's data an upgrade from this release sends (hex, {@code 0x} for none). */
    String migrationData();

    /** The typed data JSON (as maps) a wallet signs with {@code eth_signTypedData_v4}. */
    Map<String, Object> typedData(Terms terms);

    /** The EIP-712 digest the channel recovers owner and payout from. */
    byte[] digest(Terms terms);

    /**
     * Release 1: {@code UpgradeConsent(address implementation,uint256 nonce,uint256 deadline)}, no migration data
     * (its consent does not cover the data, so the marketplace offers none).
     */
    record Release1() implements ConsentFormat {
        static final byte[] TYPEHASH = Eip712.upgradeConsentTypehashRelease1();

        @Override
        public byte[] typehash() {
            return TYPEHASH.clone();
        }

        @Override
        public String migrationData() {
            return "0x";
        }

        @Override
        public Map<String, Object> typedData(Terms terms) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("implementation", terms.implementation());
            message.put("nonce", terms.nonce().toString());
            message.put("deadline", Long.toString(terms.deadline()));
            return Eip712.typedData(Eip712.UPGRADE_CONSENT_TYPE_RELEASE_1, domain(terms), message);
        }

        @Override
        public byte[] digest(Terms terms) {
            return Eip712.upgradeConsentDigestRelease1(
                    terms.chainId(),
                    Address.of(terms.channel()),
                    Address.of(terms.implementation()),
                    terms.nonce(),
                    BigInteger.valueOf(terms.deadline()));
        }
    }

    private static Map<String, Object> domain(Terms terms) {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", Eip712.DOMAIN_NAME);
        domain.put("version", Eip712.DOMAIN_VERSION);
        domain.put("chainId", terms.chainId());
        domain.put("verifyingContract", terms.channel());
        return domain;
    }
}
