package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Voucher;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The checks before signature and ledger: a channel must pay this listing's provider through its operator, in
 * its token, with safe channel times, at no less than the agreed prices; on a marketplace listing it must be a
 * verified subscription of that very listing.
 */
class PaymentPolicyTest {
    static final String CHANNEL = "0x00000000000000000000000000000000000000c1";
    static final String OWNER = "0x00000000000000000000000000000000000000a1";
    static final String PROVIDER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    static final String OPERATOR = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    static final String FACTORY = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    static final String ATTACKER_TOKEN = "0x00000000000000000000000000000000000000e2";
    static final PriceTable PRICES = PriceTable.of(1000, 2500);
    static final Duration T_R = Duration.ofSeconds(60);
    static final Duration T_C = Duration.ofSeconds(900);
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    final PaymentPolicy policy = new PaymentPolicy(Duration.ofSeconds(10));

    static Listing configured(String operator, List<Wei> floors) {
        return new Listing(
                "weather",
                PROVIDER,
                FACTORY,
                URI.create("http://x/"),
                PRICES.prices(),
                operator,
                ChannelState.ETHER,
                io.tollgate.pricing.TokenUnit.ETHER,
                new Listing.Admission.Configured(floors, Duration.ofSeconds(10), Duration.ofHours(1), Duration.ZERO));
    }

    static Listing subscribed(String id) {
        return new Listing(
                id,
                PROVIDER,
                FACTORY,
                URI.create("http://marketplace.test/#/listings/" + id),
                PRICES.prices(),
                OPERATOR,
                ChannelState.ETHER,
                io.tollgate.pricing.TokenUnit.ETHER,
                new Listing.Admission.Subscribed(T_R, T_C));
    }

    static AgreedTerms agreed(String listing) {
        return new AgreedTerms(
                CHANNEL, listing, OWNER, PROVIDER, OPERATOR, ChannelState.ETHER, PRICES.prices(), T_R, T_C);
    }

    static ChannelState channel(
            String provider, String operator, String token, PriceTable prices, Duration tr, Duration tc) {
        return new ChannelState(
                CHANNEL,
                31337,
                FACTORY,
                provider,
                "0x00000000000000000000000000000000000000f1",
                1,
                Map.of(1L, new EpochTerms(1, prices, Optional.empty())),
                Wei.of(1_000_000),
                1,
                Optional.empty(),
                false,
                new ChannelState.Parties(OWNER, token, operator, tr, tc));
    }

    /** An ether channel of {@link #PROVIDER} and {@link #OPERATOR} at {@link #PRICES} with these T_r and T_c. */
    static ChannelState withTimes(Duration redeemWindow, Duration closeDelay) {
        return channel(PROVIDER, OPERATOR, ChannelState.ETHER, PRICES, redeemWindow, closeDelay);
    }

    static ChannelState channel(String provider, String operator) {
        return channel(provider, operator, ChannelState.ETHER, PRICES, T_R, T_C);
    }

    static PaidVoucher voucher(PriceTable prices) {
        return new PaidVoucher(new Voucher(Address.of(CHANNEL), 1, 0, 1, prices.hash(), new byte[65]), "header");
    }

    PaymentPolicy.Verdict check(Listing listing, ChannelState state) {
        return check(listing, state, Optional.empty());
    }

    PaymentPolicy.Verdict check(Listing listing, ChannelState state, Optional<AgreedTerms> agreed) {
        return policy.check(voucher(state.activeTerms().table()).voucher(), state, listing, agreed, 0, NOW);
    }

    static PaymentProblem problem(PaymentPolicy.Verdict verdict) {
        assertThat(verdict).isInstanceOf(PaymentPolicy.Verdict.Refused.class);
        return ((PaymentPolicy.Verdict.Refused) verdict).refusal().problem();
    }

    @Test
    void aChannelNamingTheListingsOperatorMayPay() {
        assertThat(check(configured(OPERATOR, List.of()), channel(PROVIDER, OPERATOR.toUpperCase())))
                .isInstanceOf(PaymentPolicy.Verdict.Priced.class);
    }

    @Test
    void aChannelNamingAnotherOperatorIsRefusedBecauseNobodyCouldRedeemIt() {
        var verdict =
                check(configured(OPERATOR, List.of()), channel(PROVIDER, "0x00000000000000000000000000000000000000ee"));
        assertThat(verdict).isInstanceOfSatisfying(PaymentPolicy.Verdict.Refused.class, refused -> {
            assertThat(refused.refusal().problem()).isEqualTo(PaymentProblem.CHANNEL_WRONG_LISTING);
            assertThat(refused.refusal().detail())
                    .contains("names operator 0x00000000000000000000000000000000000000ee")
                    .contains(OPERATOR);
        });
    }

    @Test
    void aChannelPayingAnotherProviderIsRefused() {
        assertThat(problem(check(
                        configured(OPERATOR, List.of()),
                        channel("0x00000000000000000000000000000000000000dd", OPERATOR))))
                .isEqualTo(PaymentProblem.CHANNEL_WRONG_LISTING);
    }

    @Test
    void aChannelInAnotherTokenIsRefused() {
        var state = channel(PROVIDER, OPERATOR, ATTACKER_TOKEN, PRICES, T_R, T_C);
        assertThat(problem(check(configured(OPERATOR, List.of()), state))).isEqualTo(PaymentProblem.TOKEN_NOT_ACCEPTED);
        assertThat(problem(check(subscribed("weather"), state, Optional.of(agreed("weather")))))
                .isEqualTo(PaymentProblem.TOKEN_NOT_ACCEPTED);
    }

    @Test
    void aPriceOneWeiBelowTheFloorInAnyCategoryIsRefusedEvenWhenTheRoutesCategoryIsAtTheFloor() {
        var cheap = PriceTable.of(1000, 2499); // the route is category 0, category 1 is one wei short
        var state = channel(PROVIDER, OPERATOR, ChannelState.ETHER, cheap, T_R, T_C);
        assertThat(problem(check(configured(OPERATOR, PRICES.prices()), state)))
                .isEqualTo(PaymentProblem.PRICE_BELOW_AGREEMENT);
        assertThat(problem(check(subscribed("weather"), state, Optional.of(agreed("weather")))))
                .isEqualTo(PaymentProblem.PRICE_BELOW_AGREEMENT);
        assertThat(check(configured(OPERATOR, PRICES.prices()), channel(PROVIDER, OPERATOR)))
                .isInstanceOf(PaymentPolicy.Verdict.Priced.class);
    }

    @Test
    void closeDelaysShorterThanTwiceTheRedeemWindowPlusThirtySecondsAreRefused() {
        var listing = configured(OPERATOR, List.of());
        assertThat(problem(check(listing, withTimes(Duration.ofSeconds(10), Duration.ofSeconds(49)))))
                .isEqualTo(PaymentProblem.CHANNEL_TIMES_UNSAFE);
        assertThat(check(listing, withTimes(Duration.ofSeconds(10), Duration.ofSeconds(50))))
                .isInstanceOf(PaymentPolicy.Verdict.Priced.class);
        // below the configured least T_r
        assertThat(problem(check(listing, withTimes(Duration.ofSeconds(1), Duration.ofSeconds(300)))))
                .isEqualTo(PaymentProblem.CHANNEL_TIMES_UNSAFE);
    }

    @Test
    void onAMarketplaceListingTheChannelMustBeASubscriptionOfThatListingWithItsAgreedTimes() {
        var state = channel(PROVIDER, OPERATOR);
        assertThat(check(subscribed("weather"), state, Optional.of(agreed("weather"))))
                .isInstanceOf(PaymentPolicy.Verdict.Priced.class);
        assertThat(problem(check(subscribed("weather"), state, Optional.empty())))
                .isEqualTo(PaymentProblem.CHANNEL_NOT_SUBSCRIBED);
        assertThat(problem(check(subscribed("forecast-pro"), state, Optional.of(agreed("weather")))))
                .isEqualTo(PaymentProblem.CHANNEL_WRONG_LISTING);
        var otherTimes = channel(PROVIDER, OPERATOR, ChannelState.ETHER, PRICES, T_R, T_C.plusSeconds(1));
        assertThat(problem(check(subscribed("weather"), otherTimes, Optional.of(agreed("weather")))))
                .isEqualTo(PaymentProblem.CHANNEL_TIMES_UNSAFE);
    }
}
