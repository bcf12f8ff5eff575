package io.tollgate.gateway.egress;

import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * How many top-ups a channel may still get, kept in Redis (so a restart or another replica does not reset it):
 * at most {@code maxPerPeriod} within any {@code period}, and at most {@code maxTotal} wei in all. A grant is
 * reserved in one Lua step before the deposit is sent, and given back only when nothing was sent.
 */
public final class TopUpBudget {

    static final RedisScript<List> RESERVE =
            RedisScript.of(script("ledger/money.lua") + script("egress/top_up_budget.lua"), List.class);
    static final RedisScript<Long> RELEASE =
            RedisScript.of(script("ledger/money.lua") + script("egress/top_up_release.lua"), Long.class);

    /** What the budget says to one top-up. */
    public sealed interface Verdict {
        /** Reserved: send the deposit; {@code id} gives it back if nothing was sent. */
        record Granted(String id, Wei totalAfter) implements Verdict {}

        /** {@code grants} top-ups in the last period already; the next may come in {@code retryIn}. */
        record PeriodLimit(int grants, Duration retryIn) implements Verdict {}

        /** The channel's total would pass the maximum: no more top-ups, ever (until the setting is raised). */
        record TotalLimit(Wei total, Wei maxTotal) implements Verdict {}
    }

    private final ReactiveStringRedisTemplate redis;
    private final String keyPrefix;
    private final int maxPerPeriod;
    private final Duration period;
    private final Wei maxTotal;
    private final Clock clock;

    public TopUpBudget(
            ReactiveStringRedisTemplate redis,
            String keyPrefix,
            int maxPerPeriod,
            Duration period,
            Wei maxTotal,
            Clock clock) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.maxPerPeriod = maxPerPeriod;
        this.period = period;
        this.maxTotal = maxTotal;
        this.clock = clock;
    }

    /** Reserves a top-up of {@code amount} for {@code channel}, or says why not. */
    public Mono<Verdict> reserve(String channel, Wei amount) {
        String id = UUID.randomUUID().toString();
        return redis.execute(
                        RESERVE,
                        keys(channel),
                        List.of(
                                Long.toString(clock.millis()),
                                Long.toString(period.toMillis()),
                                Integer.toString(maxPerPeriod),
                                maxTotal.toString(),
                                amount.toString(),
                                id))
                .next()
                .map(reply -> {
                    List<?> r = (List<?>) reply;
                    String verdict = String.valueOf(r.get(0));
                    return switch (verdict) {
                        case "GRANTED" -> new Verdict.Granted(id, Wei.parse(String.valueOf(r.get(1))));
                        case "PERIOD" ->
                            new Verdict.PeriodLimit(
                                    Integer.parseInt(String.valueOf(r.get(1))),
                                    Duration.ofMillis(Long.parseLong(String.valueOf(r.get(2)))));
                        case "TOTAL" -> new Verdict.TotalLimit(Wei.parse(String.valueOf(r.get(1))), maxTotal);
                        default -> throw new IllegalStateException("top-up budget script answered " + r);
                    };
                });
    }

    /** Gives back a grant whose deposit was never sent. */
    public Mono<Boolean> release(String channel, Wei amount, String id) {
        return redis.execute(RELEASE, keys(channel), List.of(amount.toString(), id))
                .next()
                .map(released -> released == 1L)
                .defaultIfEmpty(false);
    }

    private List<String> keys(String channel) {
        String base = keyPrefix + ":{" + channel + "}";
        return List.of(base + ":egress-top-ups", base + ":egress-top-up-times");
    }

    private static String script(String name) {
        try (var in = new ClassPathResource("io/tollgate/gateway/" + name).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
