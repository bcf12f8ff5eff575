package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.TestClock;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthFeeHistory;

class FeeEstimatorTest {

    private static EthFeeHistory.FeeHistory history(
            List<String> baseFees, List<List<String>> rewards, List<Double> gasUsedRatio) {
        return new EthFeeHistory.FeeHistory("0x1", rewards, baseFees, gasUsedRatio);
    }

    @Test
    void theNextBlocksBaseFeeIsTheHistorysLastEntry() {
        var h = history(List.of("0x64", "0x70", "0x7b"), List.of(List.of("0x1"), List.of("0x2")), List.of(0.5, 0.6));
        assertThat(FeeEstimator.nextBaseFee(h)).contains(Wei.of(0x7b));
    }

    @Test
    void aHistoryWithoutBaseFeesIsALegacyChain() {
        // before London nodes report zero base fees; some leave the field out; some do not know the method
        assertThat(FeeEstimator.nextBaseFee(history(List.of("0x0", "0x0"), List.of(List.of("0x0")), List.of(0.0))))
                .isEmpty();
        assertThat(FeeEstimator.nextBaseFee(history(null, List.of(), List.of())))
                .isEmpty();
        assertThat(FeeEstimator.nextBaseFee(history(List.of(), List.of(), List.of())))
                .isEmpty();
        assertThat(FeeEstimator.nextBaseFee(null)).isEmpty();
    }

    @Test
    void theTipIsTheMedianOfTheBlocksThatCarriedTransactions() {
        var h = history(
                List.of("0x1", "0x1", "0x1", "0x1", "0x1"),
                List.of(List.of("0x9"), List.of("0x0"), List.of("0x3"), List.of("0x5")),
                List.of(0.2, 0.0, 0.1, 0.9));
        // the empty block's 0 is left out: median of 9, 3, 5
        assertThat(FeeEstimator.medianTip(h)).contains(Wei.of(5));
        var even = history(List.of("0x1", "0x1", "0x1"), List.of(List.of("0x8"), List.of("0x2")), List.of(0.2, 0.3));
        assertThat(FeeEstimator.medianTip(even)).contains(Wei.of(2));
        var empty = history(List.of("0x1", "0x1"), List.of(List.of("0x0")), List.of(0.0));
        assertThat(FeeEstimator.medianTip(empty)).isEmpty();
    }

    @Test
    void theCapIsTwiceTheBaseFeePlusTheTipAndNeverAboveTheCeiling() {
        assertThat(FeeEstimator.eip1559(Wei.of(100), Wei.of(7), Wei.ZERO))
                .isEqualTo(new Fees.Eip1559(Wei.of(100), Wei.of(7), Wei.of(207)));
        assertThat(FeeEstimator.eip1559(Wei.of(100), Wei.of(7), Wei.of(1000)).cap())
                .isEqualTo(Wei.of(207));
        assertThat(FeeEstimator.eip1559(Wei.of(100), Wei.of(7), Wei.of(150)))
                .isEqualTo(new Fees.Eip1559(Wei.of(100), Wei.of(7), Wei.of(150)));
        assertThat(FeeEstimator.eip1559(Wei.of(100), Wei.of(70), Wei.of(50)))
                .as("the tip is never above the cap")
                .isEqualTo(new Fees.Eip1559(Wei.of(100), Wei.of(50), Wei.of(50)));
        assertThat(FeeEstimator.eip1559(Wei.of(100), Wei.of(7), Wei.ZERO).perGas())
                .isEqualTo(Wei.of(107));
    }

    @Test
    void aChainWithoutBaseFeeIsPricedAtItsLegacyGasPrice() throws IOException {
        try (var berlin = AnvilNode.start("--hardfork", "berlin")) {
            BigInteger gasPrice = berlin.web3j().ethGasPrice().send().getGasPrice();
            assertThat(FeeEstimator.uncached(berlin.web3j(), Wei.ZERO).fresh())
                    .isEqualTo(new Fees.Legacy(new Wei(gasPrice)));
        }
    }

    @Test
    void aChainWithBaseFeeIsPricedByEip1559AndTheEstimateIsKeptForItsMaxAge() throws IOException {
        try (var london = AnvilNode.start()) {
            var clock = new TestClock(Instant.parse("2026-12-03T12:00:00Z"));
            var estimator = new FeeEstimator(london.web3j(), Wei.ZERO, Duration.ofSeconds(15), clock);
            var first = (Fees.Eip1559) estimator.current();
            assertThat(first.baseFee().value()).isEqualTo(nextBaseFee(london));
            // no block carried a transaction yet: the node's suggested tip
            assertThat(first.tip().value())
                    .isEqualTo(london.web3j().ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas());

            london.mine(); // an empty block lowers the base fee
            assertThat(nextBaseFee(london)).isLessThan(first.baseFee().value());
            clock.advance(Duration.ofSeconds(14));
            assertThat(estimator.current()).as("kept").isSameAs(first);

            clock.advance(Duration.ofSeconds(1));
            var second = (Fees.Eip1559) estimator.current();
            assertThat(second.baseFee().value()).isEqualTo(nextBaseFee(london));
        }
    }

    private static BigInteger nextBaseFee(AnvilNode node) throws IOException {
        return node.web3j()
                .ethFeeHistory(1, DefaultBlockParameterName.LATEST, List.of())
                .send()
                .getFeeHistory()
                .getBaseFeePerGas()
                .getLast();
    }
}
