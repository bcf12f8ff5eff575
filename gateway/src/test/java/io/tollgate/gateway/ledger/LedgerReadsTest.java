package io.tollgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.RealRedisLedger;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the redemption reads back from the ledger: the best vouchers, an epoch's exposure, the channels. */
class LedgerReadsTest {

    private static final PriceTable PRICES = PriceTable.of(10, 25);
    private static final String PREFIX = "tollgate-reads-" + System.nanoTime();

    @RegisterExtension
    static final RealRedisLedger redis = new RealRedisLedger(PREFIX);

    private static void pay(String channel, long epoch, int category, long count) {
        String header = TestVouchers.header(TestVouchers.SIGNER, 31337, channel, epoch, category, count, PRICES.hash());
        var outcome = redis.ledger()
                .record(new LedgerEntry(
                        channel, epoch, category, count, PRICES.price(category), Wei.of(1_000_000), 1, header))
                .block();
        assertThat(outcome).isInstanceOf(LedgerOutcome.Accepted.class);
    }

    @Test
    void theBestVoucherOfEachCategoryByEpochTheExposureOfAnEpochAndEveryChannel() {
        String channel = RealRedis.randomChannel();
        String other = RealRedis.randomChannel();
        pay(channel, 1, 1, 3);
        pay(channel, 1, 0, 2);
        pay(channel, 1, 1, 5);
        pay(channel, 2, 0, 7);
        pay(other, 1, 0, 1);

        var best = redis.ledger().best(channel).block();
        assertThat(best.keySet()).containsExactly(1L, 2L);
        assertThat(best.get(1L).stream().map(v -> v.voucher().category())).containsExactly(0, 1);
        assertThat(best.get(1L).stream().map(v -> v.voucher().count())).containsExactly(2L, 5L);
        assertThat(best.get(2L))
                .singleElement()
                .extracting(v -> v.voucher().count())
                .isEqualTo(7L);

        assertThat(redis.ledger().exposure(channel, 1).block()).isEqualTo(PRICES.exposure(new long[] {2, 5}));
        assertThat(redis.ledger().exposure(channel, 2).block()).isEqualTo(PRICES.cost(0, 7));
        assertThat(redis.ledger().exposure(channel, 3).block()).isEqualTo(Wei.ZERO);
        assertThat(redis.ledger().best(RealRedis.randomChannel()).block()).isEmpty();

        assertThat(redis.ledger().channels().distinct().collectList().block())
                .containsExactlyInAnyOrder(channel, other);
    }

    @Test
    void theRedemptionLeaseSitsBesideTheChannelsLedgerKeysUnderItsHashTag() {
        var keys = LedgerKeys.of("p", "0xab");
        assertThat(keys.redemptionLease()).isEqualTo("p:{0xab}:redemption-lease");
        assertThat(LedgerKeys.channelOf(keys.exposure())).isEqualTo("0xab");
    }
}
