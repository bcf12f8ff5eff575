package io.tollgate.gateway.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.Fees;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.chain.TestChain;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A token channel's value counts the token's smallest unit, the gas cost wei: the rule never redeems it for being
 * worth its gas (no exchange rate to compare them with), while an ether channel with the same numbers is.
 */
class TokenRedemptionRuleTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    /** 1 wei per gas: any value of 20 × gas units or more is worth it. */
    static final RedemptionChain CHEAP_GAS = new RedemptionChain() {
        @Override
        public Mono<Fees> fees() {
            return Mono.just(new Fees.Legacy(Wei.of(1)));
        }

        @Override
        public Mono<String> startRedemption(String channel, PriceTable nextPrices) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<String> finishRedemption(String channel, long epoch, List<PaidVoucher> vouchers) {
            return Mono.error(new UnsupportedOperationException());
        }
    };

    static ChannelState channel(String token) {
        var parties = new ChannelState.Parties(
                TestChain.PARTIES.owner(),
                token,
                TestChain.PARTIES.operator(),
                TestChain.PARTIES.redeemWindow(),
                TestChain.PARTIES.closeDelay());
        return new ChannelState(
                "0x00000000000000000000000000000000000000c1",
                31337,
                "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
                "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
                "0x00000000000000000000000000000000000000b0",
                1,
                Map.of(1L, new EpochTerms(1, PriceTable.of(1_000, 2_500), Optional.empty())),
                Wei.of(1_000_000_000),
                1,
                Optional.empty(),
                false,
                parties);
    }

    static RedemptionDecision.Decision decide(ChannelState state) {
        // worth ratio 20, share 50 %: a value of 1,000,000 is 0.1 % of the deposit, and worth 100 gas units 10,000
        // times
        var rule = RedemptionRule.of(new RedemptionDecision(20, 5000, Duration.ofDays(1)), CHEAP_GAS, k -> 100);
        return rule.due(state, Wei.of(1_000_000), NOW.minusSeconds(60), NOW).block();
    }

    @Test
    void anEtherChannelWorthItsGasIsRedeemed() {
        assertThat(decide(channel(ChannelState.ETHER)))
                .isInstanceOfSatisfying(
                        RedemptionDecision.Decision.Redeem.class,
                        r -> assertThat(r.reason()).isEqualTo(RedemptionDecision.Reason.WORTH_IT));
    }

    @Test
    void aTokenChannelIsNeverRedeemedForBeingWorthItsGas() {
        assertThat(decide(channel("0x5fbdb2315678afecb367f032d93f642f64180aa3")))
                .isInstanceOf(RedemptionDecision.Decision.Wait.class);
    }
}
