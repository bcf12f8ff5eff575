package io.tollgate.gateway.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.payment.PrivateNettyResources;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Listings written in YAML carry their admission policy; one without an operator does not start. */
class ListingPropertiesTest {

    static ListingProperties.ListingEntry entry(String operator) {
        return entry(operator, ChannelState.ETHER, null, null);
    }

    static ListingProperties.ListingEntry entry(
            String operator, String token, String tokenSymbol, Integer tokenDecimals) {
        return new ListingProperties.ListingEntry(
                "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
                "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
                URI.create("http://provider.test/subscribe"),
                List.of(Wei.of(1000), Wei.of(2500)),
                List.of(Wei.of(900)),
                operator,
                token,
                tokenSymbol,
                tokenDecimals,
                Duration.ofSeconds(10),
                Duration.ofDays(1),
                Duration.ZERO,
                List.of());
    }

    @Test
    void aConfiguredListingCarriesTokenFloorsAndTimeBounds() {
        var listing = new ListingProperties(Map.of("weather", entry("0x15D34AAF54267DB7D7C367839AAF71A00A2C6A65")))
                .find("weather")
                .orElseThrow();
        assertThat(listing.operator()).isEqualTo("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
        assertThat(listing.token()).isEqualTo(ChannelState.ETHER);
        assertThat(listing.unit()).isEqualTo(TokenUnit.ETHER);
        assertThat(listing.admission()).isInstanceOfSatisfying(Listing.Admission.Configured.class, c -> {
            assertThat(c.minimumPrice(0)).hasToString("900");
            assertThat(c.minimumPrice(1)).hasToString("0");
            assertThat(c.minRedeemWindow()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void aConfiguredListingWithoutAnOperatorIsRefusedAtStartup() {
        assertThatThrownBy(() -> new ListingProperties(Map.of("weather", entry(null))))
                .hasMessageContaining("tollgate.gateway.listings.weather.operator is not set");
        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class)
                        .run(
                                "--server.port=0",
                                "--tollgate.gateway.listings.weather.provider=0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
                                "--tollgate.gateway.listings.weather.factory=0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
                                "--tollgate.gateway.listings.weather.subscribe-url=http://provider.test/subscribe",
                                "--tollgate.gateway.listings.weather.prices=1000"))
                .hasStackTraceContaining("tollgate.gateway.listings.weather.operator is not set");
    }

    @Test
    void aTokenListingCarriesTheTokensUnitAndIsRefusedWithoutIt() {
        String usd = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        var listing = new ListingProperties(
                        Map.of("weather", entry("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", usd, "USDT-demo", 6)))
                .find("weather")
                .orElseThrow();
        assertThat(listing.token()).isEqualTo(usd.toLowerCase(java.util.Locale.ROOT));
        assertThat(listing.unit()).isEqualTo(new TokenUnit("USDT-demo", 6));
        assertThat(listing.describe(Wei.of(1000))).isEqualTo("0.001 USDT-demo");

        assertThatThrownBy(() -> new ListingProperties(
                        Map.of("weather", entry("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", usd, null, null))))
                .hasMessageContaining("tollgate.gateway.listings.weather is paid in " + usd)
                .hasMessageContaining("token-symbol and token-decimals");
    }
}
