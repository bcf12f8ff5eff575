package io.tollgate.gateway.payment.x402;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * What a payer's accepted, not yet settled {@code exact} authorizations promise, per (token, payer), across
 * replicas: one Redis hash whose fields are the authorizations' nonces (value and expiry), and a {@code released}
 * counter. {@link #reserve} admits an authorization only when the payer's balance, read from the chain after the
 * counter, covers the value beside every other unsettled reservation, in one script (so two replicas given two
 * authorizations of a payer funded for one admit one); a release between the balance read and the script
 * (a settlement moved the balance the read may not show) makes the script refuse to decide and the caller read
 * again. Each reservation expires past its authorization's validBefore, so a gateway that dies before settling does
 * not lock the payer's funds for longer than the authorization could be settled. Amounts are decimal strings added
 * digit by digit: Lua's numbers are doubles, token amounts are not.
 */
final class AuthorizationFunds {
    /** A release seen between the balance read and the script: read the balance again, at most this often. */
    static final int ATTEMPTS = 3;

    private static final String RELEASED = "released";

    /**
     * KEYS[1] the hash; ARGV: released counter seen, now (epoch s), balance, value, nonce, expiry (epoch s). Answers
     * {status, reserved}: 1 reserved, 0 refused (reserved is the other reservations' sum), -1 a release since.
     */
    private static final RedisScript<List> RESERVE = RedisScript.of("""
            local function add(a, b)
              local out, carry, i, j = {}, 0, #a, #b
              while i > 0 or j > 0 or carry > 0 do
                local d = carry
                if i > 0 then d = d + string.byte(a, i) - 48 end
                if j > 0 then d = d + string.byte(b, j) - 48 end
                out[#out + 1] = string.char(48 + d % 10)
                carry = math.floor(d / 10)
                i, j = i - 1, j - 1
              end
              local s = string.reverse(table.concat(out)):gsub('^0+', '')
              if s == '' then return '0' end
              return s
            end
            local function below(a, b)
              if #a ~= #b then return #a < #b end
              return a < b
            end
            local released = redis.call('HGET', KEYS[1], 'released') or '0'
            if released ~= ARGV[1] then return {-1, '0'} end
            local now = tonumber(ARGV[2])
            local reserved = '0'
            local entries = redis.call('HGETALL', KEYS[1])
            for k = 1, #entries, 2 do
              local field = entries[k]
              if field ~= 'released' then
                local value, expires = string.match(entries[k + 1], '^(%d+) (%d+)$')
                if tonumber(expires) <= now then
                  redis.call('HDEL', KEYS[1], field)
                elseif field ~= ARGV[5] then
                  reserved = add(reserved, value)
                end
              end
            end
            if below(ARGV[3], add(reserved, ARGV[4])) then return {0, reserved} end
            redis.call('HSET', KEYS[1], ARGV[5], ARGV[4] .. ' ' .. ARGV[6])
            local ttl = tonumber(ARGV[6]) - now
            if redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
            return {1, reserved}
            """, List.class);

    /** KEYS[1] the hash; ARGV[1] the nonce. Drops the reservation and counts the release (only if it was held). */
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
              return redis.call('HINCRBY', KEYS[1], 'released', 1)
            end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final Clock clock;

    AuthorizationFunds(ReactiveStringRedisTemplate redis, String prefix, Clock clock) {
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
    }

    /** The outcome of a reservation: whether it was made, and what the payer's other reservations add up to. */
    record Reservation(boolean reserved, BigInteger balance, BigInteger otherReservations) {}

    /**
     * Reserves the authorization's value against {@code balance} (a fresh chain read, subscribed after the release
     * counter is read) until {@code validFor} plus {@link AuthorizationNonces#BEYOND_VALID_BEFORE} from now.
     */
    Mono<Reservation> reserve(ExactPayment payment, Mono<BigInteger> balance, Duration validFor) {
        return attempt(payment, balance, validFor, 1);
    }

    private Mono<Reservation> attempt(ExactPayment payment, Mono<BigInteger> balance, Duration validFor, int n) {
        long now = clock.instant().getEpochSecond();
        Duration hold = validFor.plus(AuthorizationNonces.BEYOND_VALID_BEFORE);
        if (hold.compareTo(AuthorizationNonces.LONGEST) > 0) {
            hold = AuthorizationNonces.LONGEST;
        }
        long expires = now + Math.max(1, hold.toSeconds());
        return redis.<String, String>opsForHash()
                .get(key(payment), RELEASED)
                .defaultIfEmpty("0")
                .flatMap(released -> balance.flatMap(held -> redis.execute(
                                RESERVE,
                                List.of(key(payment)),
                                List.of(
                                        released,
                                        Long.toString(now),
                                        held.toString(),
                                        payment.authorization().value().toString(),
                                        payment.nonceHex(),
                                        Long.toString(expires)))
                        .next()
                        .flatMap(answer -> {
                            long status = ((Number) answer.get(0)).longValue();
                            if (status < 0) {
                                return n >= ATTEMPTS
                                        ? Mono.error(new IllegalStateException(
                                                "the payer's reservations keep changing; try again"))
                                        : attempt(payment, balance, validFor, n + 1);
                            }
                            return Mono.just(
                                    new Reservation(status == 1, held, new BigInteger(String.valueOf(answer.get(1)))));
                        })));
    }

    /** Frees the authorization's reservation: it settled, its settlement failed, or it will not be settled. */
    Mono<Void> release(ExactPayment payment) {
        return redis.execute(RELEASE, List.of(key(payment)), List.of(payment.nonceHex()))
                .then()
                .onErrorResume(e -> Mono.empty());
    }

    private String key(ExactPayment payment) {
        return prefix + ":exact-funds:" + payment.asset() + ":" + payment.payer();
    }
}
