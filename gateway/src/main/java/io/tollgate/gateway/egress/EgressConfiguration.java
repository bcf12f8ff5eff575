package io.tollgate.gateway.egress;

import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.VoucherSigner;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
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
        Wei amount = properties.topUpAmount();
        Optional<TopUps> topUps = !properties.topUpKey().isSet()
                ? Optional.empty()
                : Optional.of(new TopUps(
                        web3j,
                        new FastRawTransactionManager(
                                web3j,
                                Credentials.create(properties.topUpKey().value()),
                                chain.chainId(),
                                new PollingTransactionReceiptProcessor(web3j, 200, 300)),
                        properties.topUpBelow(),
                        amount,
                        new TopUpBudget(
                                redis,
                                ledger.keyPrefix(),
                                properties.topUp().maxPerPeriod(),
                                properties.topUp().period(),
                                properties.topUp().maxTotalWei(amount),
                                clock),
                        channels,
                        clock));
        return new SignGatewayFilterFactory(
                channels,
                new VoucherSigner(
                        Credentials.create(properties.signerKey().value()).getEcKeyPair()),
                new FileVoucherCounters(properties.counters()),
                properties.caps(),
                topUps,
                problems,
                channel -> Mono.fromCallable(
                                () -> ChannelClient.readOnly(web3j, channel).pricesOf(1))
                        .subscribeOn(Schedulers.boundedElastic()));
    }
}
