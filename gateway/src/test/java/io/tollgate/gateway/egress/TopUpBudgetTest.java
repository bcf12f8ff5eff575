package io.tollgate.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.testing.TestClock;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.egress.TopUpBudget.Verdict;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-channel top-up budget on the real Redis: per-period count, total in wei, giving back, restarts. */
class TopUpBudgetTest {
    static final String PREFIX = "tollgate-top-up-test-" + System.nanoTime();
    // above 2^53: the total is decimal money in Lua, not a double
    static final Wei AMOUNT = Wei.parse("1000000000000000000");

    static RealRedis redis;
    final TestClock clock = new TestClock();

    @BeforeAll
    static void connect() {
        redis = RealRedis.connect();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    TopUpBudget budget(int perPeriod, Wei maxTotal) {
        return new TopUpBudget(redis.template(), PREFIX, perPeriod, Duration.ofHours(1), maxTotal, clock);
    }

    @Test
    void atMostNTopUpsWithinAPeriodThenAgainOnceTheOldestLeavesIt() {
        String channel = RealRedis.randomChannel();
        var budget = budget(2, AMOUNT.times(100));
        assertThat(budget.reserve(channel, AMOUNT).block()).isInstanceOf(Verdict.Granted.class);
        clock.advance(Duration.ofMinutes(10));
        assertThat(budget.reserve(channel, AMOUNT).block()).isInstanceOf(Verdict.Granted.class);
        assertThat(budget.reserve(channel, AMOUNT).block())
                .isEqualTo(new Verdict.PeriodLimit(2, Duration.ofMinutes(50)));
        clock.advance(Duration.ofMinutes(51)); // the first grant left the period
        var third = budget.reserve(channel, AMOUNT).block();
        assertThat(third).isInstanceOf(Verdict.Granted.class);
        assertThat(((Verdict.Granted) third).totalAfter()).isEqualTo(AMOUNT.times(3));
        assertThat(budget.reserve(channel, AMOUNT).block()).isInstanceOf(Verdict.PeriodLimit.class);
    }

    @Test
    void theTotalPerChannelHoldsForEveryInstanceAndAGrantNeverSentIsGivenBack() {
        String channel = RealRedis.randomChannel();
        var one = budget(100, AMOUNT.times(2));
        var granted = (Verdict.Granted) one.reserve(channel, AMOUNT).block();
        assertThat(granted.totalAfter()).isEqualTo(AMOUNT);
        assertThat(one.reserve(channel, AMOUNT).block()).isInstanceOf(Verdict.Granted.class);
        var restarted = budget(100, AMOUNT.times(2));
        assertThat(restarted.reserve(channel, AMOUNT).block())
                .isEqualTo(new Verdict.TotalLimit(AMOUNT.times(2), AMOUNT.times(2)));

        assertThat(restarted.release(channel, AMOUNT, granted.id()).block()).isTrue();
        assertThat(restarted.release(channel, AMOUNT, granted.id()).block())
                .as("once")
                .isFalse();
        assertThat(((Verdict.Granted) restarted.reserve(channel, AMOUNT).block()).totalAfter())
                .isEqualTo(AMOUNT.times(2));
    }
}
