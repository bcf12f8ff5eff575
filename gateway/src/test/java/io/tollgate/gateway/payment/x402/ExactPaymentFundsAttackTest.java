package io.tollgate.gateway.payment.x402;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * The attacker's side of {@code exact}, on a real chain and two real replicas sharing Redis: an authorization the
 * payer cannot cover is refused before the upstream is reached ({@code authorization-insufficient-funds}, x402
 * {@code insufficient_funds}), whether the payer holds nothing or holds enough for one call and sends many at once
 * to both replicas; and a settled authorization's reservation is released, so the remaining funds pay, as is one
 * whose upstream failed.
 */
class ExactPaymentFundsAttackTest extends TwoReplicas {
    private static String signed(Map<String, Object> authorization, Credentials payer) {
        return X402Gateway.header(tollgate.payload(authorization, payer));
    }

    private static Map<String, Object> refusedForFunds(HttpResponse<String> response) {
        return refused(response, "authorization-insufficient-funds", "insufficient_funds");
    }

    @Test
    void aPayerHoldingNothingIsRefusedBeforeTheUpstreamAndNothingSettles() {
        var attacker = tollgate.funded(BigInteger.ZERO);
        long served = tollgate.upstream.served();
        BigInteger payout = tollgate.balance(tollgate.payout());
        var authorization = tollgate.authorization(attacker);

        for (int replica = 0; replica < 2; replica++) {
            var problem = refusedForFunds(tollgate.get(replica, signed(authorization, attacker)));
            assertThat(problem)
                    .containsEntry("balance", "0")
                    .containsEntry("reserved", "0")
                    .containsEntry("value", X402Gateway.WALK_IN_PRICE.toString());
            assertThat((String) problem.get("detail"))
                    .contains("holds 0 USDT-demo")
                    .contains("0.015 USDT-demo");
        }

        assertThat(tollgate.upstream.served()).isEqualTo(served);
        assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payout);
        assertThat(tollgate.nonceUsed(attacker.getAddress(), (String) authorization.get("nonce")))
                .isFalse();
    }

    @Test
    void aPayerFundedForOneCallSendingManyAtOnceToBothReplicasIsServedOnce() throws Exception {
        for (int many : List.of(2, 6)) {
            var payer = tollgate.funded(X402Gateway.WALK_IN_PRICE);
            long served = tollgate.upstream.served();
            BigInteger payout = tollgate.balance(tollgate.payout());
            var answers = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < many; i++) {
                answers.add(tollgate.getAsync(i % 2, signed(tollgate.authorization(payer), payer)));
            }
            var accepted = new ArrayList<HttpResponse<String>>();
            for (var answer : answers) {
                var response = answer.get();
                if (response.statusCode() == 200) {
                    accepted.add(response);
                } else {
                    refusedForFunds(response);
                }
            }

            assertThat(accepted).hasSize(1);
            var settled = X402Gateway.decode(
                    accepted.getFirst().headers().firstValue("PAYMENT-RESPONSE").orElseThrow());
            assertThat(settled).containsEntry("success", true);
            assertThat(tollgate.upstream.served()).isEqualTo(served + 1);
            assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payout.add(X402Gateway.WALK_IN_PRICE));
            assertThat(tollgate.balance(payer.getAddress())).isZero();
        }
    }

    @Test
    void aSettledAuthorizationReleasesItsReservationSoTheRemainingFundsPay() {
        var payer = tollgate.funded(X402Gateway.WALK_IN_PRICE.multiply(BigInteger.TWO));
        BigInteger payout = tollgate.balance(tollgate.payout());

        for (int call = 0; call < 2; call++) {
            var response = tollgate.get(call % 2, signed(tollgate.authorization(payer), payer));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(X402Gateway.decode(
                            response.headers().firstValue("PAYMENT-RESPONSE").orElseThrow()))
                    .containsEntry("success", true);
        }
        assertThat(tollgate.balance(tollgate.payout()))
                .isEqualTo(payout.add(X402Gateway.WALK_IN_PRICE.multiply(BigInteger.TWO)));

        var problem = refusedForFunds(tollgate.get(0, signed(tollgate.authorization(payer), payer)));
        assertThat(problem).containsEntry("balance", "0").containsEntry("reserved", "0");
    }

    @Test
    void anUpstreamFailureReleasesTheReservationAndSettlesNothing() {
        var payer = tollgate.funded(X402Gateway.WALK_IN_PRICE);
        BigInteger payout = tollgate.balance(tollgate.payout());
        var failed = tollgate.authorization(payer);
        tollgate.upstream.outagePercent(100);
        try {
            assertThat(tollgate.get(0, signed(failed, payer)).statusCode()).isGreaterThanOrEqualTo(500);
        } finally {
            tollgate.upstream.outagePercent(0);
        }
        assertThat(tollgate.nonceUsed(payer.getAddress(), (String) failed.get("nonce")))
                .isFalse();

        var response = tollgate.get(1, signed(tollgate.authorization(payer), payer));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tollgate.balance(tollgate.payout())).isEqualTo(payout.add(X402Gateway.WALK_IN_PRICE));
    }
}
