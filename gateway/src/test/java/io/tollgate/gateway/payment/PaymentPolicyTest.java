package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks before signature and ledger: a channel must pay this listing's provider through its operator. */
class PaymentPolicyTest {
    static final String PROVIDER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    static final String OPERATOR = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    static final String FACTORY = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    static final PriceTable PRICES = PriceTable.of(1000, 2500);
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    final PaymentPolicy policy = new PaymentPolicy(Duration.ofSeconds(10));

    static Listing listing(Optional<String> operator) {
        return new Listing("weather", PROVIDER, FACTORY, URI.create("http://x/"), PRICES.prices(), List.of(), operator);
    }

    static ChannelState channel(String provider, Optional<String> operator) {
        return new ChannelState(
                "0x00000000000000000000000000000000000000c1",
                31337,
                FACTORY,
                provider,
                "0x00000000000000000000000000000000000000f1",
                1,
                Map.of(1L, new EpochTerms(1, PRICES, Optional.empty())),
                Wei.of(1_000_000),
                1,
                Optional.empty(),
                false,
                operator);
    }

    static PaidVoucher voucher() {
        return new PaidVoucher(
                "0x00000000000000000000000000000000000000c1", 1, 0, 1, PRICES.hash(), new byte[65], "header");
    }

    PaymentPolicy.Verdict check(Listing listing, ChannelState state) {
        return policy.check(voucher(), state, listing, 0, NOW);
    }

    @Test
    void aChannelNamingTheListingsOperatorMayPay() {
        assertThat(check(listing(Optional.of(OPERATOR)), channel(PROVIDER, Optional.of(OPERATOR.toUpperCase()))))
                .isInstanceOf(PaymentPolicy.Verdict.Priced.class);
    }

    @Test
    void aChannelNamingAnotherOperatorIsRefusedBecauseNobodyCouldRedeemIt() {
        var verdict = check(
                listing(Optional.of(OPERATOR)),
                channel(PROVIDER, Optional.of("0x00000000000000000000000000000000000000ee")));
        assertThat(verdict).isInstanceOfSatisfying(PaymentPolicy.Verdict.Refused.class, refused -> {
            assertThat(refused.refusal().problem()).isEqualTo(PaymentProblem.CHANNEL_WRONG_LISTING);
            assertThat(refused.refusal().detail())
                    .contains("names operator 0x00000000000000000000000000000000000000ee")
                    .contains(OPERATOR);
        });
    }

    @Test
    void aChannelPayingAnotherProviderIsRefused() {
        var verdict = check(
                listing(Optional.of(OPERATOR)),
                channel("0x00000000000000000000000000000000000000dd", Optional.of(OPERATOR)));
        assertThat(verdict)
                .isInstanceOfSatisfying(
                        PaymentPolicy.Verdict.Refused.class,
                        refused -> assertThat(refused.refusal().problem())
                                .isEqualTo(PaymentProblem.CHANNEL_WRONG_LISTING));
    }

    @Test
    void theOperatorIsNotCheckedWhenTheListingDoesNotNameOne() {
        assertThat(check(
                        listing(Optional.empty()),
                        channel(PROVIDER, Optional.of("0x00000000000000000000000000000000000000ee"))))
                .isInstanceOf(PaymentPolicy.Verdict.Priced.class);
    }
}
