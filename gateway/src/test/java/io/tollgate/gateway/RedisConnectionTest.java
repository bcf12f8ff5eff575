package io.tollgate.gateway;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisConnectionTest {

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    ReactiveRedisConnectionFactory connectionFactory;

    @Test
    void talksToTheRealRedisThroughLettuce() {
        org.assertj.core.api.Assertions.assertThat(connectionFactory).isInstanceOf(LettuceConnectionFactory.class);
        String key = "tollgate:test:" + UUID.randomUUID();
        StepVerifier.create(redis.opsForValue()
                        .set(key, "42", Duration.ofSeconds(30))
                        .then(redis.opsForValue().get(key))
                        .flatMap(value -> redis.delete(key).thenReturn(value)))
                .expectNext("42")
                .verifyComplete();
    }
}
