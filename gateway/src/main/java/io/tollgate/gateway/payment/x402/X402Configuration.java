package io.tollgate.gateway.payment.x402;

import io.tollgate.contracts.channel.FeeEstimator;
import io.tollgate.contracts.channel.TokenAuthorizationTransactions;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.payment.PaymentScheme;
import io.tollgate.gateway.payment.RefusalHeaders;
import io.tollgate.gateway.redemption.OperatorTransactions;
import io.tollgate.gateway.redemption.Web3jRedemptionChain;
import io.tollgate.gateway.voucher.VoucherReader;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.ChainProperties;
import java.net.URI;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import org.web3j.protocol.Web3j;
import tools.jackson.databind.ObjectMapper;

/**
 * x402 version 2: every 402 carries {@code PAYMENT-REQUIRED} ({@link X402RefusalHeaders}); with an {@link
 * ExactSettler} (a configured facilitator's, else the operator key's when the gateway holds one) the {@link ExactScheme} takes {@code
 * PAYMENT-SIGNATURE} {@code exact} payments on listings with walk-in prices.
 */
@Configuration(proxyBeanMethods = false)
class X402Configuration {

    @Bean
    TokenDomains x402TokenDomains(Web3j web3j, ChainProperties chain, X402Properties properties) {
        return new TokenDomains(web3j, chain.chainId(), properties.tokenDomains());
    }

    /** Settles through the configured x402 facilitator. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("!'${tollgate.gateway.x402.facilitator-url:}'.isEmpty()")
    ExactSettler facilitatorSettler(X402Properties properties) {
        return new FacilitatorSettler(
                WebClient.builder(), URI.create(properties.facilitatorUrl()), properties.facilitatorTimeout());
    }

    /** Settles with the operator key when this gateway holds one and no facilitator is configured. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression(
            "!'${tollgate.chain.operator-key:}'.isEmpty() and '${tollgate.gateway.x402.facilitator-url:}'.isEmpty()")
    ExactSettler operatorKeySettler(Web3j web3j, OperatorTransactions operator, ChainProperties chain, Clock clock) {
        return new OperatorKeySettler(new TokenAuthorizationTransactions(
                web3j,
                operator.manager(),
                new FeeEstimator(
                        web3j, new Wei(chain.gasPriceCeiling()), Web3jRedemptionChain.FEE_ESTIMATE_MAX_AGE, clock)));
    }

    @Bean
    X402Terms x402Terms(
            ChainProperties chain,
            ChannelStateCache channels,
            TokenDomains domains,
            X402Properties properties,
            ObjectProvider<ExactSettler> settler) {
        return new X402Terms(
                chain.chainId(), channels, domains, properties.maxTimeoutSeconds(), settler.getIfAvailable() != null);
    }

    @Bean
    RefusalHeaders x402RefusalHeaders(X402Terms terms, ObjectMapper json) {
        return new X402RefusalHeaders(terms, json);
    }

    @Bean
    @ConditionalOnBean(ExactSettler.class)
    ExactScheme exactScheme(
            ObjectMapper json,
            X402Terms terms,
            TokenDomains domains,
            ReactiveStringRedisTemplate redis,
            ExactSettler settler,
            Web3j web3j,
            Clock clock,
            X402Properties properties,
            ObjectProvider<PaymentScheme> schemes) {
        return new ExactScheme(
                json,
                terms,
                domains,
                new AuthorizationNonces(redis, properties.keyPrefix()),
                new AuthorizationFunds(redis, properties.keyPrefix(), clock),
                settler,
                web3j,
                clock,
                properties.settlementMargin(),
                () -> schemes.orderedStream()
                        .filter(s -> s.headers().getFirst().equals(VoucherReader.HEADER))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no Payment-Voucher scheme")));
    }
}
