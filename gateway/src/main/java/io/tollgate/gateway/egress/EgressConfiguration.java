package io.tollgate.gateway.egress;

import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.VoucherSigner;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
class EgressConfiguration {

    /** Egress mode, when this gateway holds a consumer's signer key. */
    @Bean
    @ConditionalOnExpression("!'${tollgate.gateway.egress.signer-key:}'.isEmpty()")
    SignGatewayFilterFactory signGatewayFilterFactory(
            ChannelStateCache channels,
            EgressProperties properties,
            ChainProperties chain,
            Web3j web3j,
            io.tollgate.gateway.problem.ProblemResponder problems,
            org.springframework.data.redis.core.ReactiveStringRedisTemplate redis,
            io.tollgate.gateway.ledger.LedgerProperties ledger,
            java.time.Clock clock) {
        // ether's settings are the top-level ones; each configured token has its own, in its smallest unit
        Map<String, List<Wei>> caps = new LinkedHashMap<>();
        Map<String, TokenUnit> units = new LinkedHashMap<>();
        Map<String, TopUps.Plan> plans = new LinkedHashMap<>();
        caps.put(ChannelState.ETHER, properties.caps());
        units.put(ChannelState.ETHER, TokenUnit.ETHER);
        plans.put(
                ChannelState.ETHER,
                plan(
                        TokenUnit.ETHER,
                        properties.topUpBelow(),
                        properties.topUpAmount(),
                        properties.topUp(),
                        redis,
                        ledger,
                        clock));
        properties.tokens().forEach((token, egress) -> {
            caps.put(token, egress.caps());
            units.put(token, egress.unit());
            plans.put(
                    token,
                    plan(
                            egress.unit(),
                            egress.topUpBelow(),
                            egress.topUpAmount(),
                            egress.topUp(),
                            redis,
                            ledger,
                            clock));
        });
        Optional<TopUps> topUps = Optional.empty();
        if (properties.topUpKey().isSet()) {
            var funderKey = Credentials.create(properties.topUpKey().value());
            topUps = Optional.of(new TopUps(
                    web3j,
                    funderKey,
                    new FastRawTransactionManager(
                            web3j, funderKey, chain.chainId(), new PollingTransactionReceiptProcessor(web3j, 200, 300)),
                    plans,
                    channels,
                    clock));
        }
        return new SignGatewayFilterFactory(
                channels,
                new VoucherSigner(
                        Credentials.create(properties.signerKey().value()).getEcKeyPair()),
                new FileVoucherCounters(properties.counters()),
                caps,
                units,
                topUps,
                problems,
                channel -> Mono.fromCallable(
                                () -> ChannelClient.readOnly(web3j, channel).pricesOf(1))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    private static TopUps.Plan plan(
            TokenUnit unit,
            Wei below,
            Wei amount,
            EgressProperties.TopUpLimits limits,
            org.springframework.data.redis.core.ReactiveStringRedisTemplate redis,
            io.tollgate.gateway.ledger.LedgerProperties ledger,
            java.time.Clock clock) {
        return new TopUps.Plan(
                unit,
                below,
                amount,
                new TopUpBudget(
                        redis,
                        ledger.keyPrefix(),
                        limits.maxPerPeriod(),
                        limits.period(),
                        limits.maxTotalWei(amount),
                        clock));
    }
}
