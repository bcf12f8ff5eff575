package io.tollgate.gateway.payment.x402;

import fr.acinq.secp256k1.Secp256k1;
import fr.acinq.secp256k1.Secp256k1Exception;
import io.tollgate.contracts.channel.TokenAuthorizationTransactions;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.payment.PaymentCheck.Outcome;
import io.tollgate.gateway.payment.PaymentRequest;
import io.tollgate.gateway.payment.PaymentScheme;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Signatures;
import io.tollgate.protocol.TokenAuthorizations;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/**
 * x402's {@code PAYMENT-SIGNATURE}, scheme {@code exact}: one EIP-3009 {@code transferWithAuthorization} per call,
 * on the listing's token, for the route category's walk-in price. Checked in this order, each refusal a 402 whose
 * {@code PAYMENT-REQUIRED} carries the x402 error code: the payload decodes ({@code payment-signature-malformed});
 * its scheme is {@code exact} and the route takes one-off payments ({@code payment-scheme-unknown}); network and
 * asset are the route's ({@code payment-terms-mismatch}); {@code to} is the provider's payout ({@code
 * payment-wrong-payee}); value ≥ the walk-in price ({@code payment-below-price}); validAfter &lt; now and now + the
 * settlement margin &lt; validBefore ({@code authorization-not-yet-valid}, {@code authorization-expired}); the
 * low-s signature recovers {@code from} over the token's EIP-712 domain ({@code authorization-signature-invalid});
 * the nonce is new: reserved in Redis (once across replicas) and unused on chain ({@code authorization-replayed});
 * the payer's balance on chain, less its other accepted and unsettled authorizations, covers the value: reserved
 * atomically across replicas ({@link AuthorizationFunds}, {@code authorization-insufficient-funds}), so no
 * authorization is served that cannot settle. Then the request is served; once the upstream answered below 400,
 * the authorization is settled ({@link ExactSettler}) before the answer's headers go out, the funds reservation is
 * released, and the answer carries {@code PAYMENT-RESPONSE}. An upstream failure settles nothing and frees the
 * nonce and the funds. A {@code tollgate-channel} payload ({@link ChannelPayload}) is
 * handed, as its {@code Payment-Voucher}, to the voucher scheme.
 */
final class ExactScheme implements PaymentScheme {
    private static final Logger log = LoggerFactory.getLogger(ExactScheme.class);

    private final ObjectMapper json;
    private final X402Terms terms;
    private final TokenDomains domains;
    private final AuthorizationNonces nonces;
    private final AuthorizationFunds funds;
    private final ExactSettler settler;
    private final Web3j web3j;
    private final Clock clock;
    private final Duration settlementMargin;
    private final Supplier<PaymentScheme> vouchers;
    private final Secp256k1 secp256k1 = Secp256k1.get();

    ExactScheme(
            ObjectMapper json,
            X402Terms terms,
            TokenDomains domains,
            AuthorizationNonces nonces,
            AuthorizationFunds funds,
            ExactSettler settler,
            Web3j web3j,
            Clock clock,
            Duration settlementMargin,
            Supplier<PaymentScheme> vouchers) {
        this.json = json;
        this.terms = terms;
        this.domains = domains;
        this.nonces = nonces;
        this.funds = funds;
        this.settler = settler;
        this.web3j = web3j;
        this.clock = clock;
        this.settlementMargin = settlementMargin;
        this.vouchers = vouchers;
    }

    @Override
    public List<String> headers() {
        return List.of(X402.PAYMENT_SIGNATURE);
    }

    /** Nothing in the problem body: the 402's {@code PAYMENT-REQUIRED} carries the terms. */
    @Override
    public Mono<Map<String, Object>> challenge(PaymentRequest request) {
        return Mono.just(Map.of());
    }

    @Override
    public Mono<Outcome> check(PaymentRequest request) {
        String header = request.http().getHeaders().getFirst(X402.PAYMENT_SIGNATURE);
        Map<String, Object> decoded;
        String scheme;
        try {
            decoded = X402.decode(json, header == null ? "" : header);
            scheme = ExactPayment.scheme(decoded);
        } catch (IllegalArgumentException e) {
            return refuse(PaymentProblem.PAYMENT_SIGNATURE_MALFORMED, e.getMessage(), "invalid_payload");
        }
        if (X402.TOLLGATE_CHANNEL.equals(scheme)) {
            return channel(request, decoded);
        }
        Listing listing = request.listing();
        Optional<Wei> price = listing.walkInPrice(request.category());
        if (!X402.EXACT.equals(scheme) || price.isEmpty()) {
            return refuse(
                    PaymentProblem.PAYMENT_SCHEME_UNKNOWN,
                    X402.EXACT.equals(scheme)
                            ? "this route takes no one-off payments; pay through a channel (Payment-Voucher)"
                            : "scheme " + scheme + " is not accepted in PAYMENT-SIGNATURE here; see PAYMENT-REQUIRED",
                    "unsupported_scheme");
        }
        ExactPayment payment;
        try {
            payment = ExactPayment.parse(decoded);
        } catch (IllegalArgumentException e) {
            return refuse(PaymentProblem.PAYMENT_SIGNATURE_MALFORMED, e.getMessage(), "invalid_payload");
        }
        if (!terms.network().equals(payment.network())) {
            return refuse(
                    PaymentProblem.PAYMENT_TERMS_MISMATCH,
                    "network " + payment.network() + " is not " + terms.network(),
                    "invalid_exact_evm_network_mismatch");
        }
        var authorization = payment.authorization();
        if (!listing.token().equals(payment.asset())) {
            return refuse(
                    PaymentProblem.PAYMENT_TERMS_MISMATCH,
                    "asset " + payment.asset() + " is not the listing's token " + listing.token(),
                    "invalid_exact_evm_asset_mismatch");
        }
        if (!listing.provider().equals(authorization.to().value())) {
            return refuse(
                    PaymentProblem.PAYMENT_WRONG_PAYEE,
                    "the authorization pays " + authorization.to().value() + ", not the provider " + listing.provider(),
                    "invalid_exact_evm_recipient_mismatch");
        }
        if (authorization.value().compareTo(price.get().value()) < 0) {
            return refuse(
                    PaymentProblem.PAYMENT_BELOW_PRICE,
                    "the authorization's value " + authorization.value() + " is below the price " + price.get(),
                    "invalid_exact_evm_authorization_value");
        }
        long now = clock.instant().getEpochSecond();
        if (authorization.validAfter().compareTo(BigInteger.valueOf(now)) >= 0) {
            return refuse(
                    PaymentProblem.AUTHORIZATION_NOT_YET_VALID,
                    "validAfter " + authorization.validAfter() + " is not before now (" + now + ")",
                    "invalid_exact_evm_payload_authorization_valid_after");
        }
        long deadline = now + settlementMargin.toSeconds();
        if (authorization.validBefore().compareTo(BigInteger.valueOf(deadline)) <= 0) {
            return refuse(
                    PaymentProblem.AUTHORIZATION_EXPIRED,
                    "validBefore " + authorization.validBefore() + " leaves no time to settle (now " + now + ", "
                            + settlementMargin.toSeconds() + " s needed)",
                    "invalid_exact_evm_payload_authorization_valid_before");
        }
        Duration validFor = Duration.ofSeconds(authorization
                .validBefore()
                .subtract(BigInteger.valueOf(now))
                .min(BigInteger.valueOf(Long.MAX_VALUE / 2))
                .longValue());
        return domains.of(listing.token())
                .flatMap(domain -> domain.isEmpty()
                        ? refuse(
                                PaymentProblem.PAYMENT_UNAVAILABLE,
                                "the token's EIP-712 domain cannot be read; try again shortly",
                                "unexpected_verify_error")
                        : verify(request, payment, domain.get(), validFor))
                .onErrorResume(e -> {
                    log.atWarn()
                            .addKeyValue("payer", payment.payer())
                            .setCause(e)
                            .log("exact payment check failed");
                    return refuse(PaymentProblem.PAYMENT_UNAVAILABLE, "try again shortly", "unexpected_verify_error");
                });
    }

    /**
     * A {@code tollgate-channel} payload: its voucher goes through the {@code Payment-Voucher} scheme (admission,
     * signature, ledger) as that header; an accepted one also gets {@code PAYMENT-RESPONSE} (no transaction: the
     * channel's redemption settles it later).
     */
    private Mono<Outcome> channel(PaymentRequest request, Map<String, Object> decoded) {
        Map.Entry<String, String> voucher;
        try {
            voucher = ChannelPayload.parse(decoded);
        } catch (IllegalArgumentException e) {
            return refuse(PaymentProblem.PAYMENT_SIGNATURE_MALFORMED, e.getMessage(), "invalid_payload");
        }
        if (!terms.network().equals(voucher.getKey())) {
            return refuse(
                    PaymentProblem.PAYMENT_TERMS_MISMATCH,
                    "network " + voucher.getKey() + " is not " + terms.network(),
                    "invalid_network");
        }
        var http = request.http()
                .mutate()
                .headers(h -> h.set(io.tollgate.gateway.voucher.VoucherReader.HEADER, voucher.getValue()))
                .build();
        return vouchers.get()
                .check(new PaymentRequest(http, request.listing(), request.category()))
                .map(outcome -> switch (outcome) {
                    case Outcome.Refused refused -> refused;
                    case Outcome.Accepted accepted -> {
                        var headers = new LinkedHashMap<>(accepted.responseHeaders());
                        var response = new LinkedHashMap<String, Object>();
                        response.put("success", true);
                        response.put("transaction", "");
                        response.put("network", terms.network());
                        response.put("payer", accepted.payer());
                        response.put("amount", accepted.price().toString());
                        headers.put(X402.PAYMENT_RESPONSE, X402.encode(json, response));
                        yield new Outcome.Accepted(
                                accepted.payer(),
                                accepted.epoch(),
                                accepted.category(),
                                accepted.price(),
                                headers,
                                accepted.settlement());
                    }
                });
    }

    private Mono<Outcome> verify(
            PaymentRequest request, ExactPayment payment, TokenAuthorizations.Domain domain, Duration validFor) {
        var authorization = payment.authorization();
        byte[] digest = TokenAuthorizations.transferWithAuthorizationDigest(domain, authorization);
        if (!recovers(digest, payment.signature(), authorization.from())) {
            return refuse(
                    PaymentProblem.AUTHORIZATION_SIGNATURE_INVALID,
                    "the signature does not recover " + authorization.from().value() + " over the domain ("
                            + domain.name() + ", " + domain.version() + ", " + domain.chainId() + ", "
                            + domain.token().value() + ")",
                    "invalid_exact_evm_signature");
        }
        return nonces.reserve(payment, validFor).flatMap(reserved -> {
            if (!reserved) {
                return replayed(payment);
            }
            return Mono.fromCallable(() -> TokenAuthorizationTransactions.authorizationState(
                            web3j, payment.asset(), authorization.from(), authorization.nonce()))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(used -> used ? replayed(payment) : covered(request, payment, validFor))
                    .onErrorResume(e -> nonces.release(payment).then(Mono.error(e)));
        });
    }

    /**
     * Reserves the authorization's value against the payer's balance beside its unsettled authorizations; a refusal
     * frees the nonce (the same authorization may pay once the payer is funded).
     */
    private Mono<Outcome> covered(PaymentRequest request, ExactPayment payment, Duration validFor) {
        Mono<BigInteger> balance = Mono.fromCallable(
                        () -> TokenPermits.balanceOf(web3j, payment.asset(), payment.payer())
                                .value())
                .subscribeOn(Schedulers.boundedElastic());
        return funds.reserve(payment, balance, validFor).flatMap(reservation -> {
            if (reservation.reserved()) {
                return Mono.just(accepted(request, payment));
            }
            Listing listing = request.listing();
            var value = payment.authorization().value();
            var extensions = new LinkedHashMap<String, Object>();
            extensions.put(X402.ERROR_MEMBER, "insufficient_funds");
            extensions.put("balance", reservation.balance().toString());
            extensions.put("reserved", reservation.otherReservations().toString());
            extensions.put("value", value.toString());
            Outcome refused = new Outcome.Refused(
                    PaymentProblem.AUTHORIZATION_INSUFFICIENT_FUNDS,
                    payment.payer() + " holds " + listing.describe(new Wei(reservation.balance())) + ", of which "
                            + listing.describe(new Wei(reservation.otherReservations()))
                            + " is promised to its unsettled authorizations; this one needs "
                            + listing.describe(new Wei(value)) + " (the price is "
                            + listing.walkInPrice(request.category())
                                    .map(listing::describe)
                                    .orElse("?")
                            + "): fund the address or wait for the earlier payments to settle",
                    extensions);
            return nonces.release(payment).thenReturn(refused);
        });
    }

    private Outcome accepted(PaymentRequest request, ExactPayment payment) {
        var authorization = payment.authorization();
        return new Outcome.Accepted(
                payment.payer(),
                0,
                request.category(),
                new Wei(authorization.value()),
                new LinkedHashMap<>(),
                status -> status >= 400
                        ? nonces.release(payment).then(funds.release(payment)).thenReturn(Map.of())
                        : settler.settle(payment)
                                .flatMap(settled -> funds.release(payment)
                                        .thenReturn(Map.of(X402.PAYMENT_RESPONSE, response(payment, settled)))));
    }

    private String response(ExactPayment payment, ExactSettler.Settled settled) {
        var response = new LinkedHashMap<String, Object>();
        response.put("success", settled.success());
        if (!settled.success()) {
            response.put("errorReason", settled.errorReason());
        }
        response.put("transaction", settled.transaction());
        response.put("network", payment.network());
        response.put("payer", payment.payer());
        response.put("amount", payment.authorization().value().toString());
        return X402.encode(json, response);
    }

    private static Mono<Outcome> replayed(ExactPayment payment) {
        return refuse(
                PaymentProblem.AUTHORIZATION_REPLAYED,
                "nonce " + payment.nonceHex() + " of " + payment.payer()
                        + " was already used; sign a new authorization",
                "invalid_exact_evm_nonce_already_used");
    }

    private static Mono<Outcome> refuse(PaymentProblem problem, String detail, String x402Error) {
        return Mono.just(new Outcome.Refused(problem, detail, Map.of(X402.ERROR_MEMBER, x402Error)));
    }

    /** Whether the 65-byte r‖s‖v signature (v 27/28, low s) over {@code digest} is {@code signer}'s. */
    private boolean recovers(byte[] digest, byte[] signature, Address signer) {
        int v = Byte.toUnsignedInt(signature[64]);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if ((v != 27 && v != 28) || s.signum() == 0 || !Signatures.isLowS(s)) {
            return false;
        }
        try {
            byte[] publicKey = secp256k1.ecdsaRecover(Arrays.copyOfRange(signature, 0, 64), digest, v - 27);
            byte[] hash = Hash.sha3(Arrays.copyOfRange(publicKey, 1, 65));
            return Arrays.equals(Arrays.copyOfRange(hash, 12, 32), signer.bytes());
        } catch (Secp256k1Exception e) {
            return false;
        }
    }
}
