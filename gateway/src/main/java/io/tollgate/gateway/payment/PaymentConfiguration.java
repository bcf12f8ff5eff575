package io.tollgate.gateway.payment;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.gateway.chain.ChainProperties;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.usage.UsageRecorder;
import io.tollgate.gateway.voucher.HeaderVoucherReader;
import io.tollgate.gateway.voucher.Secp256k1SignatureCheck;
import io.tollgate.gateway.voucher.SignatureCheck;
import io.tollgate.gateway.voucher.VoucherReader;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

@Configuration(proxyBeanMethods = false)
class PaymentConfiguration {

    @Bean
    @ConditionalOnMissingBean
    VoucherReader voucherReader() {
        return new HeaderVoucherReader();
    }

    @Bean
    @ConditionalOnMissingBean
    SignatureCheck signatureCheck() {
        return new Secp256k1SignatureCheck();
    }

    @Bean
    ProblemResponder problemResponder(ObjectMapper json, ProblemProperties properties) {
        return new ProblemResponder(json, properties);
    }

    @Bean
    PaymentGatewayFilterFactory paymentGatewayFilterFactory(
            VoucherReader reader,
            ChannelStateCache channels,
            SignatureCheck signatures,
            VoucherLedger ledger,
            UsageRecorder usage,
            ListingProperties listings,
            ProblemResponder problems,
            ChainProperties chain,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        return new PaymentGatewayFilterFactory(
                reader,
                channels,
                new PaymentPolicy(chain.safetyMargin()),
                signatures,
                ledger,
                usage,
                listings,
                problems,
                clock.getIfAvailable(Clock::systemUTC),
                chain.chainId(),
                meters);
    }
}
