package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.BasisPoints;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * SLA terms through the Java channel client on a real EVM: created with the channel, read back, collateral
 * deposited, window reports signed in Java accepted by the contract, the median's tier penalty paid to the
 * wei, a short collateral paying what is left, and the Java median and tier rules agreeing with the contract.
 */
class ChannelSlaTest extends DeployedFactoryTestBase {
    static final Wei SMALL = Wei.parse("10000000000000000"); // 0.01 ether
    static final Wei LARGE = Wei.parse("50000000000000000"); // 0.05 ether
    static List<Credentials> monitors;

    @BeforeAll
    static void deploy() {
        monitors = List.of(chain.account(5), chain.account(6), chain.account(7));
    }

    static SlaTerms terms(Instant start) {
        return new SlaTerms(
                new BasisPoints(9900),
                Duration.ofSeconds(60),
                start,
                List.of(
                        new SlaTerms.PenaltyTier(new BasisPoints(9900), SMALL),
                        new SlaTerms.PenaltyTier(new BasisPoints(9000), LARGE)),
                monitors.stream().map(Credentials::getAddress).toList(),
                2);
    }

    static ChannelClient open(SlaTerms sla) {
        var terms =
                OnChainFixtures.terms(chain, PriceTable.of(1_000L), Duration.ofSeconds(60), Duration.ofSeconds(600));
        return FactoryClient.create(
                chain.web3j(), chain.transactionManager(1), deployment.factory(), terms, sla, Wei.parse("1000000"));
    }

    static ChannelClient.WindowReport report(ChannelClient channel, int monitor, long window, int bps) {
        byte[] digest = VoucherSignatures.windowReportDigest(AnvilNode.CHAIN_ID, channel.address(), window, bps);
        return new ChannelClient.WindowReport(
                bps, VoucherSignatures.sign(digest, monitors.get(monitor).getEcKeyPair()));
    }

    static Instant chainNow() {
        return OnChainFixtures.chainTime(chain);
    }

    @Test
    void slaTermsTravelWithTheChannelAndPenaltiesArePaidFromTheCollateralToTheWei() throws Exception {
        Instant start = Instant.ofEpochSecond(chainNow().getEpochSecond() / 60 * 60);
        SlaTerms sla = terms(start);
        ChannelClient consumer = open(sla);
        assertThat(consumer.slaTerms()).isEqualTo(sla);
        var provider = new ChannelClient(
                chain.web3j(), consumer.address(), chain.transactionManager(3), BigInteger.TEN.pow(12));
        provider.depositCollateral(SMALL.plus(LARGE).minus(Wei.of(1)));
        assertThat(consumer.windowReportDigest(0, 8500))
                .as("the Java digest is the contract's")
                .isEqualTo(VoucherSignatures.windowReportDigest(AnvilNode.CHAIN_ID, consumer.address(), 0, 8500));

        assertThatThrownBy(() -> consumer.reportWindow(0, List.of(report(consumer, 0, 0, 8000))))
                .isInstanceOf(ChannelRevertedException.class)
                .hasMessageContaining("WindowNotOver");
        chain.increaseTime(Duration.between(chainNow(), sla.windowEnd(1)).plusSeconds(1));

        Wei before = consumer.state().unredeemed();
        var reports = List.of(report(consumer, 0, 0, 8000), report(consumer, 1, 0, 9950), report(consumer, 2, 0, 8500));
        var receipt = consumer.reportWindow(0, reports);
        int median = SlaTerms.median(List.of(8000, 9950, 8500));
        assertThat(median).isEqualTo(8500);
        assertThat(sla.penaltyFor(median)).isEqualTo(LARGE);
        var event = Intermediary.getWindowReportedEvents(receipt).getFirst();
        assertThat(event.availabilityBps.intValueExact()).isEqualTo(median);
        assertThat(new Wei(event.penalty)).isEqualTo(LARGE);
        assertThat(consumer.state().unredeemed()).isEqualTo(before.plus(LARGE));
        assertThat(consumer.state().collateral()).isEqualTo(SMALL.minus(Wei.of(1)));
        assertThat(consumer.windowReported(0)).isTrue();
        assertThatThrownBy(() -> consumer.reportWindow(0, reports))
                .isInstanceOf(ChannelRevertedException.class)
                .hasMessageContaining("WindowAlreadyReported");

        // a mild miss is due 0.01 ether, one wei more than is left: the rest is paid, nothing underflows
        var mild = consumer.reportWindow(1, List.of(report(consumer, 2, 1, 9800), report(consumer, 1, 1, 9850)));
        assertThat(SlaTerms.median(List.of(9800, 9850))).isEqualTo(9800);
        assertThat(sla.penaltyFor(9800)).isEqualTo(SMALL);
        assertThat(new Wei(Intermediary.getWindowReportedEvents(mild).getFirst().penalty))
                .isEqualTo(SMALL.minus(Wei.of(1)));
        assertThat(consumer.state().collateral()).isEqualTo(Wei.ZERO);
        assertThat(consumer.state().unredeemed())
                .isEqualTo(before.plus(LARGE).plus(SMALL).minus(Wei.of(1)));
    }

    @Test
    void aChannelWithoutTermsHasNoSla() {
        ChannelClient consumer = open(SlaTerms.none());
        assertThat(consumer.slaTerms()).isEqualTo(SlaTerms.none());
        assertThat(consumer.slaTerms().present()).isFalse();
        assertThatThrownBy(() -> consumer.depositCollateral(Wei.of(1)))
                .isInstanceOf(ChannelRevertedException.class)
                .hasMessageContaining("NoSla");
    }

    @Test
    void tiersAndMediansFollowTheContractsRules() {
        SlaTerms sla = terms(Instant.EPOCH);
        assertThat(sla.penaltyFor(10_000)).isEqualTo(Wei.ZERO);
        assertThat(sla.penaltyFor(9900)).as("at the threshold is not below it").isEqualTo(Wei.ZERO);
        assertThat(sla.penaltyFor(9899)).isEqualTo(SMALL);
        assertThat(sla.penaltyFor(8999)).isEqualTo(LARGE);
        assertThat(SlaTerms.median(List.of(3, 1, 2, 4)))
                .as("lower middle of an even count")
                .isEqualTo(2);
        assertThat(sla.windowAt(Instant.ofEpochSecond(59))).isZero();
        assertThat(sla.windowAt(Instant.ofEpochSecond(60))).isEqualTo(1);
        assertThat(sla.windowEnd(0)).isEqualTo(Instant.ofEpochSecond(60));
    }
}
