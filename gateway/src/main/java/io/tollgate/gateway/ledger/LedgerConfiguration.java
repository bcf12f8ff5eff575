package io.tollgate.gateway.ledger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    /**
     * The ledger on a client and connection of its own, to the Redis Spring configured from
     * {@code spring.data.redis.*} (standalone Redis; host, port, database, password and command timeout).
     */
    @Bean(destroyMethod = "close")
    RedisVoucherLedger voucherLedger(
            LettuceConnectionFactory connectionFactory, LedgerProperties properties, Clock clock) {
        if (!(connectionFactory.getRequiredNativeClient() instanceof RedisClient)) {
            throw new IllegalStateException("the ledger needs a standalone Redis (cluster: not yet)");
        }
        var standalone = connectionFactory.getStandaloneConfiguration();
        var uri = RedisURI.builder()
                .withHost(standalone.getHostName())
                .withPort(standalone.getPort())
                .withDatabase(standalone.getDatabase())
                .withTimeout(connectionFactory.getClientConfiguration().getCommandTimeout())
                .withSsl(connectionFactory.getClientConfiguration().isUseSsl())
                .build();
        standalone.getPassword().toOptional().ifPresent(password -> {
            String user = standalone.getUsername();
            if (user == null || user.isEmpty()) {
                uri.setPassword(password);
            } else {
                uri.setCredentialsProvider(RedisCredentialsProvider.from(() -> RedisCredentials.just(user, password)));
            }
        });
        return RedisVoucherLedger.withOwnClient(uri, properties, clock);
    }
}
