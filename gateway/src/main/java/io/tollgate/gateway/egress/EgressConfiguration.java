package io.tollgate.gateway.egress;

import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.VoucherSigner;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.pricing.Wei;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.web3j.crypto.Credentials;

@Configuration(proxyBeanMethods = false)
class EgressConfiguration {

    /** Egress mode, when this gateway holds a consumer's signer key. */
    @Bean
    @ConditionalOnExpression("!'${tollgate.gateway.egress.signer-key:}'.isEmpty()")
    SignGatewayFilterFactory signGatewayFilterFactory(ChannelStateCache channels, EgressProperties properties) {
        return new SignGatewayFilterFactory(
                channels,
                new VoucherSigner(Credentials.create(properties.signerKey()).getEcKeyPair()),
                new FileVoucherCounters(properties.counters()),
                properties.caps().stream().map(Wei::parse).toList());
    }
}
