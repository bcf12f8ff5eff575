package io.tollgate.gateway.payment;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.chain.GatewayChainProperties;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.listing.ListingProperties;
import io.tollgate.gateway.listing.MarketplaceListings;
import io.tollgate.gateway.listing.MarketplaceProperties;
import io.tollgate.gateway.problem.ProblemResponder;
import io.tollgate.gateway.usage.UsageRecorder;
import io.tollgate.gateway.voucher.HeaderVoucherReader;
import io.tollgate.gateway.voucher.Secp256k1SignatureCheck;
import io.tollgate.gateway.voucher.SignatureCheck;
import io.tollgate.gateway.voucher.VoucherReader;
import io.tollgate.settings.ChainProperties;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

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

    /**
     * Each channel's agreed terms from the marketplace, cached (marketplace listings only); without a marketplace
     * no channel is confirmed.
     */
    @Bean
    @ConditionalOnMissingBean
    Agreements agreements(ObjectProvider<MarketplaceProperties> properties, Clock clock) {
        var marketplace = properties.getIfAvailable();
        if (marketplace == null || marketplace.url() == null) {
            return Agreements.NONE;
        }
        return new RefreshingAgreements(
                new MarketplaceAgreementSource(WebClient.builder(), marketplace),
                clock,
                marketplace.termsRefresh(),
                marketplace.notSubscribedRetry());
    }

    /** The {@code Payment-Voucher} of a channel: the one {@link PaymentScheme} today. */
    @Bean
    VoucherScheme voucherScheme(
            VoucherReader reader,
            ChannelStateCache channels,
            Agreements agreements,
            SignatureCheck signatures,
            VoucherLedger ledger,
            ChainProperties chain,
            GatewayChainProperties gateway,
            Clock clock) {
        return new VoucherScheme(
                reader,
                channels,
                agreements,
                new VoucherPayment(
                        new PaymentPolicy(gateway.safetyMargin()), signatures, ledger, clock, chain.chainId()));
    }

    @Bean
    PaymentGatewayFilterFactory paymentGatewayFilterFactory(
            ObjectProvider<PaymentScheme> schemes,
            UsageRecorder usage,
            ListingProperties listings,
            ObjectProvider<MarketplaceListings> marketplace,
            ProblemResponder problems,
            ObjectProvider<RefusalHeaders> refusalHeaders,
            Clock clock,
            MeterRegistry meters) {
        // configured listings are parsed once, not on every request
        Map<String, Listing> configured = listings.listings().keySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        id -> id, id -> listings.find(id).orElseThrow()));
        var payments = new PaymentCheck(schemes.orderedStream().toList());
        return new PaymentGatewayFilterFactory(
                id -> Optional.ofNullable(configured.get(id))
                        .or(() -> Optional.ofNullable(marketplace.getIfAvailable())
                                .flatMap(m -> m.find(id))),
                payments,
                new PaidForward(payments.headers(), usage, clock),
                problems,
                new PaymentMetrics(meters),
                refusalHeaders.getIfAvailable(() -> RefusalHeaders.NONE));
    }
}
