package io.tollgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.ledger.LedgerOutcome.Accepted;
import io.tollgate.gateway.ledger.LedgerOutcome.Reason;
import io.tollgate.gateway.ledger.LedgerOutcome.Rejected;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class RedisVoucherLedgerTest {

    private static final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static RealRedis redis;
    private static RedisVoucherLedger ledger;

    private final String channel = RealRedis.randomChannel();

    @BeforeAll
    static void connect() {
        redis = RealRedis.connect();
        ledger = redis.ledger(new LedgerProperties(8, "tollgate-test"), clock);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    private LedgerEntry voucher(long epoch, int category, long count, long price, long deposit) {
        return voucher(epoch, category, count, Wei.of(price), Wei.of(deposit), 0);
    }

    private LedgerEntry voucher(long epoch, int category, long count, Wei price, Wei deposit, long oldest) {
        return new LedgerEntry(
                channel, epoch, category, count, price, deposit, oldest, "v-" + epoch + "-" + category + "-" + count);
    }

    private LedgerOutcome record(LedgerEntry entry) {
        return ledger.record(entry).block();
    }

    @Test
    void acceptsAFirstVoucherAndReportsExposureAndRemainingCredit() {
        assertThat(record(voucher(1, 0, 3, 10, 100))).isEqualTo(new Accepted(3, Wei.of(30), Wei.of(70)));
    }

    @Test
    void stepsArrivingTogetherShareScriptCallsAndEachGetsItsOwnOutcome() {
        long before = redis.scriptCalls();
        // 400 steps at once: counts 1..200 twice each, 10 wei each, a deposit for 150 of them
        List<LedgerOutcome> outcomes = Flux.range(0, 400)
                .flatMap(i -> ledger.record(voucher(1, 0, 1 + i / 2, 10, 1500)), 400)
                .collectList()
                .block();
        long calls = redis.scriptCalls() - before;

        assertThat(outcomes).hasSize(400);
        assertThat(outcomes.stream().filter(Accepted.class::isInstance)).hasSize(150);
        assertThat(outcomes.stream().filter(new Rejected(Reason.REPLAYED)::equals))
                .hasSize(150);
        assertThat(outcomes.stream().filter(new Rejected(Reason.UNDERFUNDED)::equals))
                .hasSize(100);
        assertThat(calls).as("script calls for 400 steps").isLessThan(400).isGreaterThanOrEqualTo(400 / 32);
    }

    @Test
    void rejectsVoucherWhoseCountWasAlreadyUsed() {
        assertThat(record(voucher(1, 0, 1, 10, 100))).isInstanceOf(Accepted.class);
        assertThat(record(voucher(1, 0, 1, 10, 100))).isEqualTo(new Rejected(Reason.REPLAYED));
        assertThat(record(voucher(1, 0, 2, 10, 100))).isEqualTo(new Accepted(2, Wei.of(20), Wei.of(80)));
    }

    @Test
    void acceptsReorderedCountsInsideTheWindowOnce() {
        for (long count : new long[] {5, 3, 4, 1, 2}) {
            assertThat(record(voucher(1, 0, count, 10, 1000)))
                    .as("count %d", count)
                    .isEqualTo(new Accepted(5, Wei.of(50), Wei.of(950)));
        }
        for (long count : new long[] {1, 2, 3, 4, 5}) {
            assertThat(record(voucher(1, 0, count, 10, 1000))).isEqualTo(new Rejected(Reason.REPLAYED));
        }
    }

    @Test
    void rejectsCountsBelowTheWindowAndFreesSlotsTheWindowLeaves() {
        assertThat(record(voucher(1, 0, 3, 1, 1000))).isInstanceOf(Accepted.class);
        assertThat(record(voucher(1, 0, 20, 1, 1000))).isInstanceOf(Accepted.class);
        // window 8: counts 13..20 are inside, 12 and below are not
        assertThat(record(voucher(1, 0, 12, 1, 1000))).isEqualTo(new Rejected(Reason.BELOW_WINDOW));
        assertThat(record(voucher(1, 0, 3, 1, 1000))).isEqualTo(new Rejected(Reason.BELOW_WINDOW));
        // 19 shares its slot (19 mod 8) with 3, which was accepted before: the slide must have freed it
        assertThat(record(voucher(1, 0, 19, 1, 1000))).isInstanceOf(Accepted.class);
        assertThat(record(voucher(1, 0, 13, 1, 1000))).isInstanceOf(Accepted.class);
        assertThat(record(voucher(1, 0, 13, 1, 1000))).isEqualTo(new Rejected(Reason.REPLAYED));
    }

    @Test
    void keepsCountersPerEpochAndCategory() {
        assertThat(record(voucher(1, 0, 1, 10, 1000))).isInstanceOf(Accepted.class);
        assertThat(record(voucher(1, 1, 1, 10, 1000))).isEqualTo(new Accepted(1, Wei.of(20), Wei.of(980)));
        assertThat(record(voucher(2, 0, 1, 10, 1000))).isEqualTo(new Accepted(1, Wei.of(30), Wei.of(970)));
    }

    @Test
    void rejectsExposureAboveTheDepositAndRecordsNothing() {
        assertThat(record(voucher(1, 0, 10, 10, 100))).isEqualTo(new Accepted(10, Wei.of(100), Wei.ZERO));
        assertThat(record(voucher(1, 0, 11, 10, 100))).isEqualTo(new Rejected(Reason.UNDERFUNDED));
        // after a top-up the same count passes: the refused one left no trace
        assertThat(record(voucher(1, 0, 11, 10, 110))).isEqualTo(new Accepted(11, Wei.of(110), Wei.ZERO));
    }

    @Test
    void countsExposureOverAllUnredeemedEpochsOnly() {
        assertThat(record(voucher(1, 0, 5, Wei.of(10), Wei.of(100), 1))).isInstanceOf(Accepted.class);
        assertThat(record(voucher(2, 0, 6, Wei.of(10), Wei.of(100), 1))).isEqualTo(new Rejected(Reason.UNDERFUNDED));
        // once epoch 1 is redeemed (the chain's deposit dropped by 50 with it) only epoch 2 counts
        assertThat(record(voucher(2, 0, 5, Wei.of(10), Wei.of(50), 2)))
                .isEqualTo(new Accepted(5, Wei.of(50), Wei.ZERO));
        assertThat(record(voucher(1, 0, 6, Wei.of(10), Wei.of(50), 2))).isEqualTo(new Rejected(Reason.EPOCH_REDEEMED));
    }

    @Test
    void computesExposureExactlyForAmountsFarBeyondDoubles() {
        Wei price = new Wei(BigInteger.TWO.pow(200).add(BigInteger.valueOf(7)));
        Wei deposit = new Wei(BigInteger.TWO.pow(255));
        long count = LedgerEntry.MAX_COUNT;
        Wei exposure = new Wei(price.value().multiply(BigInteger.valueOf(count)));
        assertThat(record(voucher(1, 0, count, price, deposit, 0)))
                .isEqualTo(new Accepted(count, exposure, deposit.minus(exposure)));
    }

    @Test
    void storesTheBestVoucherWithItsSignature() {
        record(voucher(1, 2, 7, 1, 100));
        record(voucher(1, 2, 5, 1, 100));
        var keys = LedgerKeys.of("tollgate-test", channel);
        assertThat(redis.template().opsForHash().get(keys.best(), "1:2").block())
                .isEqualTo("v-1-2-7");
        assertThat(keys.best()).contains("{" + channel + "}");
    }

    @Test
    void acceptsExactlyOneOfFiftyConcurrentCopiesOfOneVoucher() {
        var entry = voucher(1, 0, 1, 10, 1000);
        List<LedgerOutcome> outcomes = Flux.fromStream(IntStream.range(0, 50).boxed())
                .parallel(8)
                .runOn(Schedulers.parallel())
                .flatMap(i -> ledger.record(entry))
                .sequential()
                .collectList()
                .block();
        assertThat(outcomes).hasSize(50);
        assertThat(outcomes).filteredOn(Accepted.class::isInstance).hasSize(1);
        assertThat(outcomes)
                .filteredOn(o -> o.equals(new Rejected(Reason.REPLAYED)))
                .hasSize(49);
    }

    @Test
    void failsWithAnErrorWhenRedisIsUnreachable() {
        try (var nowhere = RealRedis.connect(1)) {
            var unreachable = nowhere.ledger(new LedgerProperties(8, "t"), clock);
            StepVerifier.create(unreachable.record(voucher(1, 0, 1, 10, 100))).verifyError();
        }
    }
}
