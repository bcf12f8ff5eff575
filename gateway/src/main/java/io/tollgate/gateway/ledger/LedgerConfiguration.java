package io.tollgate.gateway.ledger;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    @Bean
    VoucherLedger voucherLedger(
            ReactiveStringRedisTemplate redis, LedgerProperties properties, ObjectProvider<Clock> clock) {
        return new RedisVoucherLedger(redis, properties, clock.getIfAvailable(Clock::systemUTC));
    }
}
