package io.tollgate.gateway.usage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class UsageConfiguration {

    @Bean
    GatewayDatabase gatewayDatabase(UsageProperties properties, Environment environment) {
        String url =
                properties.jdbcUrl() != null ? properties.jdbcUrl() : environment.getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            return new GatewayDatabase(Optional.empty());
        }
        var config = new HikariConfig();
        config.setPoolName("tollgate-gateway");
        config.setJdbcUrl(url);
        config.setUsername(
                properties.username() != null
                        ? properties.username()
                        : environment.getProperty("spring.datasource.username"));
        config.setPassword(
                properties.password() != null
                        ? properties.password().value()
                        : environment.getProperty("spring.datasource.password"));
        config.setMaximumPoolSize(3);
        config.setInitializationFailTimeout(-1);
        return new GatewayDatabase(Optional.of(new HikariDataSource(config)));
    }

    /**
     * PostgreSQL-backed usage when the gateway has a database; otherwise usage is dropped (metrics still count
     * checks).
     */
    @Bean
    UsageRecorder usageRecorder(GatewayDatabase database, UsageProperties properties, MeterRegistry meters) {
        return database.dataSource()
                .<UsageRecorder>map(ds ->
                        new BatchingUsageRecorder(ds, properties.flushInterval(), properties.bufferCapacity(), meters))
                .orElse(observation -> {});
    }
}
