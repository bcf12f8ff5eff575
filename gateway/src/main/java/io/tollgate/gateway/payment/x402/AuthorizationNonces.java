package io.tollgate.gateway.payment.x402;

import java.time.Duration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * Which EIP-3009 authorizations this provider's gateways took, across replicas: one Redis {@code SET NX} per
 * (token, payer, nonce), kept past the authorization's validBefore (after that the token itself refuses it). The
 * first replica to reserve a nonce serves; every other gets {@code false}.
 */
final class AuthorizationNonces {
    /** Past validBefore, the token refuses the authorization; the key only needs to outlive it. */
    static final Duration BEYOND_VALID_BEFORE = Duration.ofMinutes(1);

    static final Duration LONGEST = Duration.ofDays(1);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;

    AuthorizationNonces(ReactiveStringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** Reserves the nonce for {@code validFor} (plus {@link #BEYOND_VALID_BEFORE}, at most {@link #LONGEST}). */
    Mono<Boolean> reserve(ExactPayment payment, Duration validFor) {
        Duration ttl = validFor.plus(BEYOND_VALID_BEFORE);
        if (ttl.compareTo(LONGEST) > 0) {
            ttl = LONGEST;
        }
        return redis.opsForValue().setIfAbsent(key(payment), "reserved", ttl).defaultIfEmpty(false);
    }

    /** Frees a reservation whose authorization was not settled (the upstream failed): it may be sent again. */
    Mono<Boolean> release(ExactPayment payment) {
        return redis.opsForValue().delete(key(payment)).onErrorReturn(false);
    }

    private String key(ExactPayment payment) {
        return prefix + ":exact:" + payment.asset() + ":" + payment.payer() + ":" + payment.nonceHex();
    }
}
