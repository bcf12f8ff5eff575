package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Measured availability from the gateways' observations, and the public settings the web UI starts from. */
class AvailabilityTest extends MarketplaceTestBase {
    @Test
    void availabilityCountsServerFailuresButNotConsumerErrors() throws Exception {
        try (var connection = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
                var insert = connection.prepareStatement("""
                        insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei,
                            status_2xx, status_4xx, status_5xx)
                        values (?, 'quotes', '0x00000000000000000000000000000000000000a1', 1, 0, 100, 100, 90, 5, 5)""")) {
            insert.setTimestamp(1, Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MINUTES)));
            insert.executeUpdate();
            insert.setTimestamp(1, Timestamp.from(Instant.now().minus(3, ChronoUnit.DAYS)));
            insert.executeUpdate(); // outside the last 24 hours
        }
        var body = get("/api/listings/quotes/availability").body();
        assertThat(JsonPath.<Integer>read(body, "$.requests")).isEqualTo(100);
        assertThat(JsonPath.<Integer>read(body, "$.consumerErrors")).isEqualTo(5);
        // 90 good of 95 that were the provider's to answer
        assertThat(JsonPath.<Integer>read(body, "$.availabilityBps")).isEqualTo(9473);
        assertThat(JsonPath.<Integer>read(
                        get("/api/listings/quotes/availability?hours=96").body(), "$.requests"))
                .isEqualTo(200);

        assertThat(JsonPath.<Object>read(
                        get("/api/listings/weather/availability?hours=1").body(), "$.availabilityBps"))
                .as("nothing measured: no figure rather than 100 %")
                .isNull();
        assertThat(get("/api/listings/no-such-listing/availability").statusCode())
                .isEqualTo(404);
        assertThat(get("/api/listings/quotes/availability?hours=0").statusCode())
                .isEqualTo(400);
    }

    @Test
    void theWebUiLearnsTheChainAndGatewayFromTheApi() throws Exception {
        var config = get("/api/config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<Integer>read(config.body(), "$.chainId")).isEqualTo(31337);
        assertThat(JsonPath.<String>read(config.body(), "$.gatewayUrl")).startsWith("http");
        assertThat(JsonPath.<Boolean>read(config.body(), "$.devWallet")).isFalse();
    }
}
