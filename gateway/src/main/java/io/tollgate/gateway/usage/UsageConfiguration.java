package io.tollgate.gateway.usage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class UsageConfiguration {

    /**
     * PostgreSQL-backed usage when {@code tollgate.gateway.usage.jdbc-url} or {@code spring.datasource.url} is
     * set; otherwise usage is dropped (metrics still count checks).
     */
    @Bean
    UsageRecorder usageRecorder(UsageProperties properties, Environment environment, MeterRegistry meters) {
        String url =
                properties.jdbcUrl() != null ? properties.jdbcUrl() : environment.getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            return observation -> {};
        }
        var config = new HikariConfig();
        config.setPoolName("tollgate-usage");
        config.setJdbcUrl(url);
        config.setUsername(
                properties.username() != null
                        ? properties.username()
                        : environment.getProperty("spring.datasource.username"));
        config.setPassword(
                properties.password() != null
                        ? properties.password()
                        : environment.getProperty("spring.datasource.password"));
        config.setMaximumPoolSize(2);
        config.setInitializationFailTimeout(-1);
        return new BatchingUsageRecorder(
                new HikariDataSource(config), properties.flushInterval(), properties.bufferCapacity(), meters);
    }
}
