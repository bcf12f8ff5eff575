package io.tollgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.ledger.LedgerOutcome.Accepted;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import reactor.core.publisher.Flux;

class LedgerExposurePropertyTest {

    private static RealRedis redis;
    private static RedisVoucherLedger ledger;

    record Submission(long epoch, int category, long count) {}

    @BeforeContainer
    static void connect() {
        redis = RealRedis.connect();
        ledger = redis.ledger(new LedgerProperties(16, "tollgate-test"), Clock.systemUTC());
    }

    @AfterContainer
    static void disconnect() {
        redis.close();
    }

    @Provide
    Arbitrary<Submission> submission() {
        return Combinators.combine(
                        Arbitraries.longs().between(1, 2),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.longs().between(1, 40))
                .as(Submission::new);
    }

    @Property(tries = 60)
    void exposureNeverExceedsTheDepositAndNoCountIsAcceptedTwiceUnderAnyInterleaving(
            @ForAll @Size(min = 1, max = 80) List<@net.jqwik.api.From("submission") Submission> submissions,
            @ForAll @IntRange(min = 0, max = 1500) int deposit,
            @ForAll @Size(value = 3) List<@IntRange(min = 1, max = 20) Integer> prices,
            @ForAll boolean weiScale) {
        // at wei scale (x 10^18) every amount spans several of the script's limbs
        BigInteger scale = weiScale ? BigInteger.TEN.pow(18) : BigInteger.ONE;
        String channel = RealRedis.randomChannel();
        List<Map.Entry<Submission, LedgerOutcome>> outcomes = Flux.fromIterable(submissions)
                .flatMap(
                        s -> ledger.record(new LedgerEntry(
                                        channel,
                                        s.epoch(),
                                        s.category(),
                                        s.count(),
                                        new Wei(BigInteger.valueOf(prices.get(s.category()))
                                                .multiply(scale)),
                                        new Wei(BigInteger.valueOf(deposit).multiply(scale)),
                                        1,
                                        "v" + s.count()))
                                .map(o -> Map.entry(s, o)),
                        16)
                .collectList()
                .block();

        var accepted = new HashSet<Submission>();
        var best = new HashMap<String, Long>();
        for (var outcome : outcomes) {
            if (outcome.getValue() instanceof Accepted a) {
                assertThat(a.exposure().value())
                        .isLessThanOrEqualTo(BigInteger.valueOf(deposit).multiply(scale));
                assertThat(a.remainingCredit().value())
                        .isEqualTo(BigInteger.valueOf(deposit)
                                .multiply(scale)
                                .subtract(a.exposure().value()));
                assertThat(accepted.add(outcome.getKey()))
                        .as("accepted twice: %s", outcome.getKey())
                        .isTrue();
                best.merge(
                        outcome.getKey().epoch() + ":" + outcome.getKey().category(),
                        outcome.getKey().count(),
                        Math::max);
            }
        }
        long expected = best.entrySet().stream()
                .mapToLong(e ->
                        e.getValue() * prices.get(Integer.parseInt(e.getKey().split(":")[1])))
                .sum();
        Map<Object, Object> stored = redis.template()
                .opsForHash()
                .entries(LedgerKeys.of("tollgate-test", channel).exposure())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block();
        BigInteger total =
                stored.values().stream().map(v -> new BigInteger((String) v)).reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(total)
                .isEqualTo(BigInteger.valueOf(expected).multiply(scale))
                .isLessThanOrEqualTo(BigInteger.valueOf(deposit).multiply(scale));
    }
}
