package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelState;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.SignedVoucher;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;
import tools.jackson.databind.ObjectMapper;

/**
 * Upgrading a live channel through the marketplace on a real chain: the channel runs an older release than the
 * factory's latest, both parties are offered the latest, each consent is checked against the channel's own digest
 * and party, and the call both consents make is sent from a third wallet. Attackers sign the wrong thing, or for
 * someone else, or for a channel that is not theirs, or too late.
 */
class UpgradeOfferTest extends SlaTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The newer release channels are offered: a second deployment of release 1's code, so that the factory goes on
     * creating release-1 channels for the test classes after this one on the shared chain (the upgrade from
     * release 1 to the real release 2 is played in the demo by the e2e test and on the chain by ClaimsOnChainTest).
     */
    static String newerRelease() {
        return Deployments.registerNewRelease(chain.web3j(), chain.transactionManager(0), deployment.factory())
                .toLowerCase(Locale.ROOT);
    }

    record Live(Subscribed subscribed, String consumerToken, String providerToken, String target) {}

    /** A subscription's channel on the latest release, then a newer release registered: it has an offer. */
    Live live() throws Exception {
        Subscribed subscribed = subscribe();
        String target = newerRelease();
        return new Live(
                subscribed,
                signInAs(subscribed.consumer().key()),
                signInAs(subscribed.provider().key()),
                target);
    }

    Map<String, Object> channelOf(String role, String token, String channel) throws Exception {
        var answer = get("/api/upgrades?role=" + role, token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<Map<String, Object>> channels = JsonPath.read(answer.body(), "$[?(@.channel == '" + channel + "')]");
        assertThat(channels)
                .as(role + " sees " + channel + " in " + answer.body())
                .hasSize(1);
        return channels.getFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> offerOf(Map<String, Object> channel) {
        return (Map<String, Object>) channel.get("offer");
    }

    static byte[] digestOf(Map<String, Object> offer) throws Exception {
        return new StructuredDataEncoder(JSON.writeValueAsString(offer.get("typedData"))).hashStructuredData();
    }

    static String sign(byte[] digest, Credentials key) {
        return Numeric.toHexString(VoucherSignatures.sign(digest, key.getEcKeyPair()));
    }

    HttpResponse<String> consent(Object offer, String party, String signature, String token) throws Exception {
        return send(
                "POST",
                "/api/upgrades/" + offer + "/consents/" + party,
                "{\"signature\":\"" + signature + "\"}",
                token);
    }

    Intermediary readOnly(String channel) {
        return Intermediary.load(
                channel,
                chain.web3j(),
                new ReadonlyTransactionManager(chain.web3j(), "0x0000000000000000000000000000000000000000"),
                new DefaultGasProvider());
    }

    @Test
    void bothPartiesConsentAndAThirdWalletUpgradesTheChannelWithEveryBalanceKeptToTheWei() throws Exception {
        Live live = live();
        String channel = live.subscribed().channel();
        var provider = live.subscribed().provider();
        // money in every bucket: the consumer's deposit, the provider's redeemed earnings and SLA collateral
        var asProvider = new ChannelClient(chain.web3j(), channel, provider.transactions(), BigInteger.TEN.pow(12));
        asProvider.depositCollateral(SEVERE);
        PriceTable prices = asProvider.state().activePrices();
        byte[] voucher = VoucherSignatures.voucherDigest(AnvilNode.CHAIN_ID, channel, 1, 0, 7, prices.hash());
        asProvider.startRedemption(prices);
        chain.increaseTime(Duration.ofSeconds(61));
        chain.mine();
        asProvider.finishRedemption(
                1, List.of(new SignedVoucher(0, 7, 7, VoucherSignatures.sign(voucher, SIGNER.getEcKeyPair()))));
        ChannelState before = ChannelClient.readOnly(chain.web3j(), channel).state();
        BigInteger balanceBefore = chain.balance(channel);
        assertThat(before.earnings().value()).isPositive();
        assertThat(before.collateral().value()).isPositive();
        assertThat(before.unredeemed().value()).isPositive();

        var seen = channelOf("consumer", live.consumerToken(), channel);
        int release = (Integer) seen.get("release");
        assertThat(release).isGreaterThanOrEqualTo(1);
        assertThat(seen.get("latestRelease")).isEqualTo(release + 1);
        var offer = offerOf(seen);
        assertThat(offer.get("targetImplementation")).isEqualTo(live.target());
        assertThat(offer.get("targetRelease")).isEqualTo(release + 1);
        assertThat(offer.get("nonce")).isEqualTo("0");
        assertThat(offer.get("migrationData")).isEqualTo("0x");
        assertThat(offer.get("upgradeCall")).isNull();
        long deadline = ((Number) offer.get("deadline")).longValue();
        // the typed data the wallet signs hashes to the channel's own consent digest
        byte[] digest = digestOf(offer);
        assertThat(Numeric.toHexString(digest))
                .isEqualTo(Numeric.toHexString(readOnly(channel)
                        .upgradeConsentDigest(live.target(), BigInteger.ZERO, BigInteger.valueOf(deadline))
                        .send()));
        Object id = offer.get("id");
        // the provider sees the same offer of its channel
        assertThat(offerOf(channelOf("provider", live.providerToken(), channel)).get("id"))
                .isEqualTo(id);

        var owner = live.subscribed().consumer().key();
        var ownerConsented = consent(id, "owner", sign(digest, owner), live.consumerToken());
        assertThat(ownerConsented.statusCode()).as(ownerConsented.body()).isEqualTo(200);
        assertThat(JsonPath.<Boolean>read(ownerConsented.body(), "$.ownerConsented"))
                .isTrue();
        assertThat(JsonPath.<Boolean>read(ownerConsented.body(), "$.payoutConsented"))
                .isFalse();
        assertThat(JsonPath.<Object>read(ownerConsented.body(), "$.upgradeCall"))
                .isNull();

        var payoutConsented = consent(id, "payout", sign(digest, provider.key()), live.providerToken());
        assertThat(payoutConsented.statusCode()).as(payoutConsented.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(payoutConsented.body(), "$.upgradeCall.to"))
                .isEqualTo(channel);
        String data = JsonPath.read(payoutConsented.body(), "$.upgradeCall.data");

        // anyone sends it: a third wallet with no part in the channel
        var stranger = fresh();
        var receipt = sendAndWait(stranger.transactions(), 500_000, channel, data, BigInteger.ZERO);
        assertThat(receipt.isStatusOK()).as(receipt.toString()).isTrue();

        ChannelState after = ChannelClient.readOnly(chain.web3j(), channel).state();
        assertThat(after.implementation().toLowerCase(Locale.ROOT)).isEqualTo(live.target());
        assertThat(after.unredeemed()).isEqualTo(before.unredeemed());
        assertThat(after.earnings()).isEqualTo(before.earnings());
        assertThat(after.collateral()).isEqualTo(before.collateral());
        assertThat(after.totalDeposited()).isEqualTo(before.totalDeposited());
        assertThat(chain.balance(channel)).isEqualTo(balanceBefore);
        assertThat(readOnly(channel).upgradeNonce().send()).isEqualTo(BigInteger.ONE);

        // the marketplace notices: the offer is done, the channel shows its new release and has no offer
        var done = get("/api/upgrades/" + id, live.consumerToken());
        assertThat(JsonPath.<String>read(done.body(), "$.state")).isEqualTo("DONE");
        var upgraded = channelOf("consumer", live.consumerToken(), channel);
        assertThat(upgraded.get("release")).isEqualTo(release + 1);
        assertThat(upgraded.get("offer")).isNull();
        assertThat(channelOf("provider", live.providerToken(), channel).get("release"))
                .isEqualTo(release + 1);
        // a consent after the upgrade is for an ended offer
        assertThat(consent(id, "owner", sign(digest, owner), live.consumerToken())
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void consentsSignedBySomeoneElseOrForOtherTermsOrByAnotherPartyAreRefused() throws Exception {
        Live live = live();
        String channel = live.subscribed().channel();
        var offer = offerOf(channelOf("consumer", live.consumerToken(), channel));
        Object id = offer.get("id");
        long deadline = ((Number) offer.get("deadline")).longValue();
        byte[] digest = digestOf(offer);
        var owner = live.subscribed().consumer().key();
        var payout = live.subscribed().provider().key();

        // the right digest, signed by a key that is not the owner's
        var forged = consent(id, "owner", sign(digest, fresh().key()), live.consumerToken());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(422);
        assertThat(JsonPath.<String>read(forged.body(), "$.type")).endsWith("/upgrade-consent-refused");
        assertThat(JsonPath.<String>read(forged.body(), "$.detail")).contains("not the channel's owner");
        // the owner's key, but over another implementation (the one it runs), another nonce, another deadline
        byte[] otherImplementation = VoucherSignatures.upgradeConsentDigest(
                AnvilNode.CHAIN_ID,
                channel,
                deployment.implementation(),
                BigInteger.ZERO,
                BigInteger.valueOf(deadline));
        byte[] otherNonce = VoucherSignatures.upgradeConsentDigest(
                AnvilNode.CHAIN_ID, channel, live.target(), BigInteger.ONE, BigInteger.valueOf(deadline));
        byte[] otherDeadline = VoucherSignatures.upgradeConsentDigest(
                AnvilNode.CHAIN_ID, channel, live.target(), BigInteger.ZERO, BigInteger.valueOf(deadline + 1));
        byte[] otherChannel = VoucherSignatures.upgradeConsentDigest(
                AnvilNode.CHAIN_ID, deployment.factory(), live.target(), BigInteger.ZERO, BigInteger.valueOf(deadline));
        for (byte[] wrong : List.of(otherImplementation, otherNonce, otherDeadline, otherChannel)) {
            var refused = consent(id, "owner", sign(wrong, owner), live.consumerToken());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        }
        // the payout's valid consent, submitted by the consumer as the owner's
        assertThat(consent(id, "owner", sign(digest, payout), live.consumerToken())
                        .statusCode())
                .isEqualTo(422);
        // the consumer submitting as payout, another provider submitting for a channel that is not theirs
        var consumerAsPayout = consent(id, "payout", sign(digest, owner), live.consumerToken());
        assertThat(consumerAsPayout.statusCode()).as(consumerAsPayout.body()).isEqualTo(403);
        var otherProvider = fresh();
        String otherToken = signInAs(otherProvider.key());
        var notTheirs = consent(id, "payout", sign(digest, otherProvider.key()), otherToken);
        assertThat(notTheirs.statusCode()).as(notTheirs.body()).isEqualTo(403);
        assertThat(JsonPath.<String>read(notTheirs.body(), "$.detail")).contains("not the payout");
        assertThat(get("/api/upgrades/" + id, otherToken).statusCode()).isEqualTo(404);
        assertThat(JsonPath.<List<Object>>read(
                        get("/api/upgrades?role=provider", otherToken).body(), "$"))
                .isEmpty();
        // a high-s twin of the owner's valid signature (the channel's ECDSA refuses it) and garbage
        byte[] valid = VoucherSignatures.sign(digest, owner.getEcKeyPair());
        BigInteger n = new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(valid, 32, 64));
        byte[] twin = valid.clone();
        System.arraycopy(Numeric.toBytesPadded(n.subtract(s), 32), 0, twin, 32, 32);
        twin[64] = (byte) (valid[64] == 27 ? 28 : 27);
        assertThat(consent(id, "owner", Numeric.toHexString(twin), live.consumerToken())
                        .statusCode())
                .isEqualTo(422);
        assertThat(consent(id, "owner", "0x1234", live.consumerToken()).statusCode())
                .isEqualTo(400);

        // nothing refused was stored
        var still = get("/api/upgrades/" + id, live.consumerToken());
        assertThat(JsonPath.<Boolean>read(still.body(), "$.ownerConsented")).isFalse();
        assertThat(JsonPath.<Boolean>read(still.body(), "$.payoutConsented")).isFalse();
    }

    @Test
    void anExpiredOfferRefusesConsentsAndTheChannelIsOfferedAFreshDeadline() throws Exception {
        Live live = live();
        String channel = live.subscribed().channel();
        var offer = offerOf(channelOf("consumer", live.consumerToken(), channel));
        Object id = offer.get("id");
        long deadline = ((Number) offer.get("deadline")).longValue();
        byte[] digest = digestOf(offer);
        long now = OnChainFixtures.chainTime(chain).getEpochSecond();
        assertThat(deadline - now).isEqualTo(Duration.ofDays(7).toSeconds());

        // a week on the chain the other tests of this context share: undone afterwards (anvil resets its time too)
        String before = chain.snapshot();
        try {
            chain.increaseTime(Duration.ofDays(7).plusSeconds(5));
            chain.mine();
            var late = consent(
                    id, "owner", sign(digest, live.subscribed().consumer().key()), live.consumerToken());
            assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
            assertThat(JsonPath.<String>read(late.body(), "$.type")).endsWith("/upgrade-offer-ended");
            assertThat(JsonPath.<String>read(late.body(), "$.state")).isEqualTo("EXPIRED");

            var renewed = offerOf(channelOf("consumer", live.consumerToken(), channel));
            assertThat(renewed.get("id")).isNotEqualTo(id);
            assertThat(((Number) renewed.get("deadline")).longValue()).isGreaterThan(deadline);
            assertThat(renewed.get("ownerConsented")).isEqualTo(false);
        } finally {
            chain.revert(before);
        }
    }
}
