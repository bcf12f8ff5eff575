package io.tollgate.marketplace.upgrade;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.settings.ChainProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/** What the upgrade offers ask of the chain: a channel's release, nonce and parties now, and the upgrade call. */
@Component
class UpgradeChain {
    /** What the chain says of a channel now (addresses in lower case; {@code now} is the latest block's time). */
    record OnChain(
            String implementation,
            int release,
            List<String> releases,
            byte[] consentTypehash,
            BigInteger nonce,
            String owner,
            String payout,
            boolean closed,
            long now) {}

    private final Web3j web3j;
    private final ChainProperties chain;

    UpgradeChain(Web3j web3j, ChainProperties chain) {
        this.web3j = web3j;
        this.chain = chain;
    }

    /** The channel as the chain says now; empty when it is not a channel of the configured factory here. */
    Optional<OnChain> read(String channel) {
        String factory = chain.newChannelFactory().orElse(null);
        if (factory == null || factory.isBlank() || !ChannelCode.hasCode(web3j, channel)) {
            return Optional.empty();
        }
        if (!FactoryClient.createdBy(web3j, factory, channel)) {
            return Optional.empty();
        }
        var client = ChannelClient.readOnly(web3j, channel);
        var state = client.state();
        var parties = client.parties();
        List<String> releases = FactoryClient.releases(web3j, factory);
        BigInteger nonce = client.upgradeNonce();
        byte[] typehash = client.upgradeConsentTypehash();
        long now = chainTime(channel);
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
    }

    /** The data of the channel's {@code upgradeWithConsent} call with both consents (0x-hex). */
    String upgradeCallData(
            String channel,
            String targetImplementation,
            String migrationData,
            long deadline,
            String ownerConsent,
            String payoutConsent) {
        return ChannelClient.readOnly(web3j, channel)
                .upgradeWithConsentData(
                        targetImplementation,
                        Numeric.hexStringToByteArray(migrationData),
                        BigInteger.valueOf(deadline),
                        Numeric.hexStringToByteArray(ownerConsent),
                        Numeric.hexStringToByteArray(payoutConsent));
    }

    private long chainTime(String channel) {
        try {
            return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                    .send()
                    .getBlock()
                    .getTimestamp()
                    .longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException("the node did not answer", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("reading channel " + channel + " failed: " + e.getMessage(), e);
        }
    }
}
