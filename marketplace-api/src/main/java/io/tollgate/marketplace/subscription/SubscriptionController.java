package io.tollgate.marketplace.subscription;

import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.settings.ChainProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.math.BigInteger;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

@RestController
class SubscriptionController {
    private static final String UNITS = "0|[1-9][0-9]{0,77}";

    private final Subscriptions subscriptions;
    private final ChannelFunding funding;

    SubscriptionController(Subscriptions subscriptions, ChannelFunding funding) {
        this.subscriptions = subscriptions;
        this.funding = funding;
    }

    /** What the wallet signed ({@code eth_signTypedData_v4} of a sign-permit step's typed data). */
    record PermitBody(
            @NotNull @Pattern(regexp = UNITS, message = "the permit's value, a decimal integer")
            String value,

            @NotNull @Pattern(regexp = UNITS, message = "the permit's deadline in seconds, a decimal integer")
            String deadline,

            @NotNull @Pattern(regexp = "0x[0-9a-fA-F]{130}", message = "a 65-byte signature as 0x and 130 hex digits")
            String signature) {
        FactoryPermits.Signed signed() {
            return new FactoryPermits.Signed(value, deadline, signature);
        }
    }

    record AmountBody(
            @NotNull @Pattern(regexp = UNITS, message = "a decimal amount of the token's smallest unit (wei for ether)")
            String amount) {}

    record FundingPermitBody(
            @NotNull @Pattern(regexp = UNITS, message = "a decimal amount of the token's smallest unit")
            String amount,

            @NotNull @Valid PermitBody permit) {}

    /**
     * A token subscription's signed permit (its sign-permit step): checked, and answered with the one transaction
     * to send ({@code createChannelWithPermit}); a permit the factory would not take is {@code permit-refused}.
     */
    @PostMapping("/api/subscriptions/{id}/permit")
    FundingStep permit(
            @PathVariable long id, @Valid @RequestBody PermitBody body, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.permit(id, caller.getSubject(), body.signed());
    }

    /** What subscribing to an accepted negotiation is paid in (ether or the listing's token), for the deposit field. */
    @GetMapping("/api/negotiations/{id}/subscription")
    Subscriptions.Token subscriptionToken(@PathVariable long id, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.token(id, caller.getSubject());
    }

    /**
     * What the caller's channel is funded in (no steps: {@code amount} 0): {@code deposit} (a top-up, its consumer
     * only) or {@code collateral} (SLA collateral, its listing's provider only).
     */
    @GetMapping("/api/channels/{address}/{purpose:deposit|collateral}")
    ChannelFunding.Funding fundingToken(
            @PathVariable String address, @PathVariable String purpose, @AuthenticationPrincipal Jwt caller) {
        return funding.token(address, caller.getSubject(), ChannelFunding.Purpose.of(purpose));
    }

    /** The steps of adding {@code amount} to the channel's deposit or collateral, in the wallet. */
    @PostMapping("/api/channels/{address}/{purpose:deposit|collateral}")
    ChannelFunding.Funding fund(
            @PathVariable String address,
            @PathVariable String purpose,
            @Valid @RequestBody AmountBody body,
            @AuthenticationPrincipal Jwt caller) {
        return funding.prepare(
                address, caller.getSubject(), ChannelFunding.Purpose.of(purpose), new BigInteger(body.amount()));
    }

    /**
     * A funding's signed permit: checked (else {@code permit-refused}), and answered with the one transaction that
     * spends it ({@code depositWithPermit} or {@code depositCollateralWithPermit} on the factory).
     */
    @PostMapping("/api/channels/{address}/{purpose:deposit|collateral}/permit")
    FundingStep fundingPermit(
            @PathVariable String address,
            @PathVariable String purpose,
            @Valid @RequestBody FundingPermitBody body,
            @AuthenticationPrincipal Jwt caller) {
        return funding.permit(
                address,
                caller.getSubject(),
                ChannelFunding.Purpose.of(purpose),
                new BigInteger(body.amount()),
                body.permit().signed());
    }

    record SubscribeBody(
            @NotNull @Pattern(regexp = Address.REGEX, message = "an 0x-address")
            String signer,

            @NotNull
            @Pattern(regexp = UNITS, message = "a decimal amount of the listing's smallest unit (wei for ether)")
            String depositWei) {}

    record ChannelBody(
            @NotNull @Pattern(regexp = Address.REGEX, message = "an 0x-address")
            String channel) {}

    /**
     * The wallet's steps to create and fund the channel for an accepted negotiation ({@code depositWei}: the
     * deposit in the listing's smallest unit, wei or the token's).
     */
    @PostMapping("/api/negotiations/{id}/subscription")
    @ResponseStatus(HttpStatus.CREATED)
    Subscriptions.PreparedCall subscribe(
            @PathVariable long id, @Valid @RequestBody SubscribeBody body, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.prepare(id, caller.getSubject(), body.signer(), Wei.parse(body.depositWei()));
    }

    /** After the wallet's transaction: the created channel, verified on chain, activates the subscription. */
    @PostMapping("/api/subscriptions/{id}/channel")
    Subscriptions.View activate(
            @PathVariable long id, @Valid @RequestBody ChannelBody body, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.activate(id, caller.getSubject(), body.channel());
    }

    /**
     * A channel the consumer created outside the web UI (own wallet or script, through the factory) for an accepted
     * negotiation: verified on chain like one the web UI prepared, then active.
     */
    @PostMapping("/api/negotiations/{id}/channel")
    Subscriptions.View register(
            @PathVariable long id, @Valid @RequestBody ChannelBody body, @AuthenticationPrincipal Jwt caller) {
        return subscriptions.register(id, caller.getSubject(), body.channel());
    }

    @GetMapping("/api/subscriptions")
    List<Subscriptions.View> mine(@AuthenticationPrincipal Jwt caller) {
        return subscriptions.mine(caller.getSubject());
    }

    @Configuration(proxyBeanMethods = false)
    static class Chain {
        @Bean(destroyMethod = "shutdown")
        Web3j web3j(ChainProperties settings) {
            return Web3j.build(new HttpService(settings.rpcUrl()));
        }
    }
}
