package io.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.pricing.TokenUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayListingUnitTest {
    private static GatewayListing listing(String token, String symbol, Integer decimals) {
        return new GatewayListing(
                "l", null, null, token, symbol, decimals, 60L, 900L, null, null, null, List.of(), null, List.of());
    }

    @Test
    void theTokenNamedByTheMarketplaceCountsTheAmounts() {
        assertThat(listing("0x" + "ab".repeat(20), "USDT-demo", 6).unit()).isEqualTo(new TokenUnit("USDT-demo", 6));
    }

    @Test
    void aFeedWithoutTheUnitIsReadAsBefore() {
        assertThat(listing(Address.ZERO.value(), null, null).unit()).isEqualTo(TokenUnit.ETHER);
        assertThat(listing("0x" + "ab".repeat(20), null, null).unit()).isEqualTo(new TokenUnit("units", 0));
    }
}
