package io.tollgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.RealRedis;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.data.redis.core.script.RedisScript;

/** The Lua money helper agrees with BigInteger, run by the real Redis. */
class LuaMoneyPropertyTest {

    private static final RedisScript<String> DRIVER =
            RedisScript.of(RedisVoucherLedger.script("money.lua") + """
                    local a, b = money_parse(ARGV[1]), money_parse(ARGV[2])
                    if ARGV[3] == 'mul' then return money_format(money_mul(a, b)) end
                    if ARGV[3] == 'count' then return money_format(money_mul(a, money_of(tonumber(ARGV[2])))) end
                    local diff = 'negative'
                    if money_cmp(a, b) >= 0 then diff = money_format(money_sub(a, b)) end
                    return money_format(money_add(a, b)) .. '|' .. diff .. '|' .. money_cmp(a, b)
                    """, String.class);

    private static RealRedis redis;

    @BeforeContainer
    static void connect() {
        redis = RealRedis.connect();
    }

    @AfterContainer
    static void disconnect() {
        redis.close();
    }

    @Provide
    Arbitrary<BigInteger> amount() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers()
                        .between(BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE)),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(20_000_000)),
                Arbitraries.of(
                        BigInteger.ZERO,
                        BigInteger.ONE,
                        BigInteger.valueOf(9_999_999),
                        BigInteger.valueOf(10_000_000),
                        BigInteger.TEN.pow(14).subtract(BigInteger.ONE),
                        BigInteger.TEN.pow(14),
                        BigInteger.TEN.pow(28).subtract(BigInteger.ONE),
                        BigInteger.TWO.pow(53),
                        BigInteger.TWO.pow(256).subtract(BigInteger.ONE)));
    }

    @Provide
    Arbitrary<BigInteger> count() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TWO.pow(53)),
                Arbitraries.of(
                        BigInteger.ONE,
                        BigInteger.TEN.pow(14).subtract(BigInteger.ONE),
                        BigInteger.TEN.pow(14),
                        BigInteger.TEN.pow(14).add(BigInteger.ONE),
                        BigInteger.TWO.pow(53)));
    }

    @Property(tries = 300)
    void addSubtractCompareAgreeWithBigInteger(@ForAll("amount") BigInteger a, @ForAll("amount") BigInteger b) {
        String[] r = run(a, b, "add-sub-cmp").split("\\|");
        assertThat(r[0]).isEqualTo(a.add(b).toString());
        if (a.compareTo(b) >= 0) {
            assertThat(r[1]).isEqualTo(a.subtract(b).toString());
        } else {
            assertThat(r[1]).isEqualTo("negative");
        }
        assertThat(Integer.parseInt(r[2])).isEqualTo(a.compareTo(b));
    }

    @Property(tries = 300)
    void multiplyingAPriceByACountAgreesWithBigInteger(
            @ForAll("amount") BigInteger price, @ForAll("count") BigInteger count) {
        BigInteger product = price.multiply(count);
        if (product.toString().length() > 84) {
            return;
        }
        assertThat(run(price, count, "mul")).isEqualTo(product.toString());
        assertThat(run(price, count, "count")).isEqualTo(product.toString());
    }

    private static String run(BigInteger a, BigInteger b, String op) {
        // the first operand zero-padded (as earlier gateways stored amounts), the second as Java sends amounts
        return redis.template()
                .execute(DRIVER, List.of(), List.of(String.format("%084d", a), b.toString(), op))
                .single()
                .block();
    }
}
