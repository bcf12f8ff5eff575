package io.tollgate.gateway.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.gateway.chain.ChannelLookup;
import io.tollgate.gateway.chain.ChannelStateCache;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.ledger.LedgerEntry;
import io.tollgate.gateway.ledger.LedgerOutcome;
import io.tollgate.gateway.ledger.VoucherLedger;
import io.tollgate.gateway.listing.Listing;
import io.tollgate.gateway.listing.ListingCatalog;
import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.ProblemResponder;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.gateway.usage.UsageObservation;
import io.tollgate.gateway.usage.UsageRecorder;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.SignatureCheck;
import io.tollgate.gateway.voucher.VoucherReader;
import io.tollgate.gateway.voucher.VoucherReader.VoucherRead;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Headers;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * {@code Payment}: forwards a request only when its {@code Payment-Voucher} pays for it. In route YAML
 * {@code - Payment=<listing>[, <category>]}. Thin on purpose: each step is a one-method collaborator — the
 * {@link VoucherReader}, the {@link ChannelStateCache}, the marketplace's {@link Agreements} (marketplace listings
 * only), the {@link PaymentPolicy}, the {@link SignatureCheck},
 * the atomic {@link VoucherLedger} step, the {@link UsageRecorder}. Infrastructure errors fail closed (503,
 * nothing forwarded).
 *
 * <p>Accepted requests reach the upstream with {@code Tollgate-Origin} (kept when the caller sent one, else
 * the paying channel) and without the voucher; the response carries {@code Payment-Accepted-Count} and
 * {@code Payment-Remaining-Credit}.
 */
public class PaymentGatewayFilterFactory extends AbstractGatewayFilterFactory<PaymentGatewayFilterFactory.Config> {

    public static final String ACCEPTED_COUNT = Headers.ACCEPTED_COUNT;
    public static final String REMAINING_CREDIT = Headers.REMAINING_CREDIT;
    public static final String ORIGIN = Headers.ORIGIN;
    /** Optional request header naming the caller's channel, so a 402 can give its active epoch. */
    public static final String CHANNEL_HINT = Headers.CHANNEL;

    private static final Logger log = LoggerFactory.getLogger(PaymentGatewayFilterFactory.class);

    private final VoucherReader reader;
    private final ChannelStateCache channels;
    private final PaymentPolicy policy;
    private final SignatureCheck signatures;
    private final VoucherLedger ledger;
    private final UsageRecorder usage;
    private final ListingCatalog listings;
    private final Agreements agreements;
    private final ProblemResponder problems;
    private final Clock clock;
    private final long chainId;
    private final MeterRegistry meters;
    private final Map<String, Counter> checks = new ConcurrentHashMap<>();

    public PaymentGatewayFilterFactory(
            VoucherReader reader,
            ChannelStateCache channels,
            PaymentPolicy policy,
            SignatureCheck signatures,
            VoucherLedger ledger,
            UsageRecorder usage,
            ListingCatalog listings,
            Agreements agreements,
            ProblemResponder problems,
            Clock clock,
            long chainId,
            MeterRegistry meters) {
        super(Config.class);
        this.reader = reader;
        this.channels = channels;
        this.policy = policy;
        this.signatures = signatures;
        this.ledger = ledger;
        this.usage = usage;
        this.listings = listings;
        this.agreements = agreements;
        this.problems = problems;
        this.clock = clock;
        this.chainId = chainId;
        this.meters = meters;
    }

    /** Per-route configuration: the listing sold and the price category of the route (default 0). */
    public static class Config {
        private @Nullable String listing;
        private @Nullable Integer category;

        public @Nullable String getListing() {
            return listing;
        }

        public Config setListing(String listing) {
            this.listing = listing;
            return this;
        }

        public @Nullable Integer getCategory() {
            return category;
        }

        public Config setCategory(Integer category) {
            if (category < 0 || category > 15) {
                throw new IllegalArgumentException("category must be 0..15: " + category);
            }
            this.category = category;
            return this;
        }
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("listing", "category");
    }

    @Override
    public GatewayFilter apply(Config config) {
        if (config.getListing() == null || config.getListing().isBlank()) {
            throw new IllegalArgumentException("Payment needs a listing: - Payment=<listing>[, <category>]");
        }
        String listingId = config.getListing();
        int category = config.getCategory() == null ? 0 : config.getCategory();
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                return pay(exchange, chain, listingId, category);
            }

            @Override
            public String toString() {
                return "Payment[listing=" + listingId + ", category=" + category + "]";
            }
        };
    }

    private Mono<Void> pay(ServerWebExchange exchange, GatewayFilterChain chain, String listingId, int category) {
        var listing = listings.find(listingId);
        if (listing.isEmpty()) {
            return refuse(exchange, Refusal.of(PaymentProblem.LISTING_UNKNOWN, "listing " + listingId));
        }
        return switch (reader.read(exchange.getRequest())) {
            case VoucherRead.Missing() -> paymentRequired(exchange, listing.get(), category);
            case VoucherRead.Malformed(String detail) ->
                refuse(
                        exchange,
                        new Refusal(PaymentProblem.VOUCHER_MALFORMED, detail, howToPay(listing.get(), category)));
            case VoucherRead.Present(PaidVoucher voucher) ->
                check(exchange, chain, listing.get(), category, voucher)
                        .onErrorResume(e -> e instanceof ForwardFailed forwardFailed
                                ? Mono.error(forwardFailed.getCause())
                                : failClosed(exchange, voucher, e));
        };
    }

    private Mono<Void> check(
            ServerWebExchange exchange, GatewayFilterChain chain, Listing listing, int category, PaidVoucher voucher) {
        return channels.lookup(voucher.channel()).flatMap(lookup -> switch (lookup) {
            case ChannelLookup.Refused(ChannelLookup.Reason reason) ->
                refuse(
                        exchange,
                        Refusal.of(
                                reason == ChannelLookup.Reason.UNKNOWN_CHANNEL
                                                || reason == ChannelLookup.Reason.NO_CONTRACT
                                        ? PaymentProblem.CHANNEL_UNKNOWN
                                        : PaymentProblem.CHANNEL_UNTRUSTED,
                                reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
            case ChannelLookup.Found(var state) ->
                switch (listing.admission()) {
                    case Listing.Admission.Configured configured ->
                        checkVoucher(exchange, chain, listing, category, voucher, state, Optional.empty());
                    case Listing.Admission.Subscribed subscribed ->
                        agreements.lookup(voucher.channel()).flatMap(agreement -> switch (agreement) {
                            case Agreement.Confirmed(AgreedTerms terms) ->
                                checkVoucher(exchange, chain, listing, category, voucher, state, Optional.of(terms));
                            case Agreement.NotSubscribed() -> {
                                var refusal = PaymentPolicy.notSubscribed(state, listing);
                                var members = new LinkedHashMap<>(howToPay(listing, category));
                                members.putAll(refusal.members());
                                yield refuse(
                                        exchange, new Refusal(refusal.problem(), refusal.detail(), members), voucher);
                            }
                            case Agreement.Unavailable(String reason) ->
                                refuse(
                                        exchange,
                                        Refusal.of(
                                                PaymentProblem.PAYMENT_UNAVAILABLE,
                                                reason + " to confirm this channel's subscription; try again shortly"),
                                        voucher);
                        });
                };
        });
    }

    /** The policy, the signature and the atomic ledger step, then the forward. */
    private Mono<Void> checkVoucher(
            ServerWebExchange exchange,
            GatewayFilterChain chain,
            Listing listing,
            int category,
            PaidVoucher voucher,
            io.tollgate.gateway.chain.ChannelState state,
            Optional<AgreedTerms> agreed) {
        var verdict = policy.check(voucher, state, listing, agreed, category, clock.instant());
        if (verdict instanceof PaymentPolicy.Verdict.Refused(Refusal refusal)) {
            return refuse(exchange, refusal, voucher);
        }
        var terms = ((PaymentPolicy.Verdict.Priced) verdict).terms();
        Wei price = terms.price(voucher.category()).orElseThrow();
        // A count worth more than the whole credit limit on its own is refused by the ledger in any case
        // (exposure >= count x price): say so without a signature check or a Redis round trip, so a flood
        // of vouchers an unfunded channel cannot pay stays cheap.
        if (price.value()
                        .multiply(java.math.BigInteger.valueOf(voucher.count()))
                        .compareTo(state.creditLimit().value())
                > 0) {
            return refuse(exchange, ledgerRefusal(LedgerOutcome.Reason.UNDERFUNDED, state), voucher);
        }
        // a rotated signer signs from the next epoch on: the expiring epoch keeps its own
        String signer = state.terms(voucher.epoch()).flatMap(EpochTerms::signer).orElse(state.signer());
        var signature = signatures.check(voucher, chainId, signer);
        if (signature != SignatureCheck.SignatureOutcome.VALID) {
            return refuse(
                    exchange,
                    new Refusal(
                            PaymentProblem.SIGNATURE_INVALID,
                            signature == SignatureCheck.SignatureOutcome.INVALID
                                    ? "not a valid low-s signature"
                                    : "signed by another key, or for another chain or contract",
                            PaymentPolicy.channelMembers(state)),
                    voucher);
        }
        var entry = new LedgerEntry(
                voucher.channel(),
                voucher.epoch(),
                voucher.category(),
                voucher.count(),
                price,
                state.creditLimit(),
                state.oldestUnredeemedEpoch(),
                voucher.encoded());
        return ledger.record(entry).publishOn(requestLoop(exchange)).flatMap(outcome -> switch (outcome) {
            case LedgerOutcome.Accepted accepted -> forward(exchange, chain, listing, voucher, price, accepted);
            case LedgerOutcome.Rejected(LedgerOutcome.Reason reason) ->
                refuse(exchange, ledgerRefusal(reason, state), voucher);
        });
    }

    /**
     * The request's own event loop. The ledger answers on Redis's I/O thread; left there, every forward of the
     * gateway would run on that one thread and take upstream connections from pools of other loops.
     */
    private static Scheduler requestLoop(ServerWebExchange exchange) {
        try {
            if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection) {
                return Schedulers.fromExecutor(connection.channel().eventLoop());
            }
        } catch (IllegalStateException | IllegalArgumentException noServer) {
            // a request without a server behind it (tests): stay where the answer arrives
        }
        return Schedulers.immediate();
    }

    private Mono<Void> forward(
            ServerWebExchange exchange,
            GatewayFilterChain chain,
            Listing listing,
            PaidVoucher voucher,
            Wei price,
            LedgerOutcome.Accepted accepted) {
        count("accepted");
        log.atDebug()
                .addKeyValue("channel", voucher.channel())
                .addKeyValue("epoch", voucher.epoch())
                .addKeyValue("category", voucher.category())
                .addKeyValue("count", voucher.count())
                .addKeyValue("outcome", "accepted")
                .log("voucher accepted");
        var response = exchange.getResponse();
        response.getHeaders().set(ACCEPTED_COUNT, Long.toString(voucher.count()));
        response.getHeaders().set(REMAINING_CREDIT, accepted.remainingCredit().toString());
        String sent = exchange.getRequest().getHeaders().getFirst(ORIGIN);
        // a caller names an origin, it cannot forge one into anything but an address
        String origin = Address.isAddress(sent) ? sent.toLowerCase(java.util.Locale.ROOT) : voucher.channel();
        var request = exchange.getRequest()
                .mutate()
                .headers(h -> {
                    h.remove(VoucherReader.HEADER);
                    h.remove(CHANNEL_HINT);
                    h.set(ORIGIN, origin);
                })
                .build();
        long started = System.nanoTime();
        var at = clock.instant();
        return chain.filter(exchange.mutate().request(request).build())
                .onErrorMap(ForwardFailed::new)
                .doFinally(signal -> {
                    var status = response.getStatusCode();
                    usage.record(new UsageObservation(
                            at,
                            listing.id(),
                            voucher.channel(),
                            origin,
                            voucher.epoch(),
                            voucher.category(),
                            price,
                            status == null ? 0 : status.value(),
                            Duration.ofNanos(System.nanoTime() - started)));
                });
    }

    private Mono<Void> paymentRequired(ServerWebExchange exchange, Listing listing, int category) {
        var members = howToPay(listing, category);
        String hint = exchange.getRequest().getHeaders().getFirst(CHANNEL_HINT);
        if (!Address.isAddress(hint)) {
            return refuse(exchange, new Refusal(PaymentProblem.PAYMENT_REQUIRED, "send a Payment-Voucher", members));
        }
        return channels.lookup(hint.toLowerCase(java.util.Locale.ROOT))
                .map(lookup -> {
                    if (lookup instanceof ChannelLookup.Found(var state)) {
                        var withChannel = new LinkedHashMap<>(members);
                        withChannel.putAll(PaymentPolicy.channelMembers(state));
                        return withChannel;
                    }
                    return members;
                })
                .onErrorReturn(members)
                .flatMap(m ->
                        refuse(exchange, new Refusal(PaymentProblem.PAYMENT_REQUIRED, "send a Payment-Voucher", m)));
    }

    private static Map<String, Object> howToPay(Listing listing, int category) {
        var members = new LinkedHashMap<String, Object>();
        members.put("listing", listing.id());
        members.put("category", category);
        members.put("provider", listing.provider());
        members.put("factory", listing.factory());
        members.put(
                "listPrices",
                listing.listPrices().stream().map(Object::toString).toList());
        members.put("listPriceTableHash", listing.listPriceTableHashHex());
        members.put("subscribe", String.valueOf(listing.subscribeUrl()));
        members.put("operator", listing.operator());
        members.put("token", listing.token());
        if (listing.admission() instanceof Listing.Admission.Subscribed(var redeemWindow, var closeDelay)) {
            members.put("redeemWindowSeconds", redeemWindow.toSeconds());
            members.put("closeDelaySeconds", closeDelay.toSeconds());
        }
        members.put("voucherHeader", VoucherReader.HEADER);
        return members;
    }

    private static Refusal ledgerRefusal(LedgerOutcome.Reason reason, io.tollgate.gateway.chain.ChannelState state) {
        var members = PaymentPolicy.channelMembers(state);
        return switch (reason) {
            case REPLAYED -> new Refusal(PaymentProblem.VOUCHER_REPLAYED, "sign the next count", members);
            case BELOW_WINDOW ->
                new Refusal(PaymentProblem.VOUCHER_REPLAYED, "count is below the anti-replay window", members);
            case UNDERFUNDED ->
                new Refusal(PaymentProblem.PAYMENT_INSUFFICIENT, "top up the channel's deposit", members);
            case EPOCH_REDEEMED ->
                new Refusal(PaymentProblem.EPOCH_EXPIRED, "the epoch was redeemed; sign for the active one", members);
        };
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Refusal refusal) {
        count(refusal.problem().slug());
        return problems.respond(exchange, refusal);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Refusal refusal, PaidVoucher voucher) {
        log.atDebug()
                .addKeyValue("channel", voucher.channel())
                .addKeyValue("epoch", voucher.epoch())
                .addKeyValue("category", voucher.category())
                .addKeyValue("count", voucher.count())
                .addKeyValue("outcome", refusal.problem().slug())
                .log("voucher refused");
        return refuse(exchange, refusal);
    }

    private Mono<Void> failClosed(ServerWebExchange exchange, PaidVoucher voucher, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        log.atWarn()
                .addKeyValue("channel", voucher.channel())
                .addKeyValue("outcome", PaymentProblem.PAYMENT_UNAVAILABLE.slug())
                .setCause(error)
                .log("payment check failed; request refused");
        return refuse(exchange, Refusal.of(PaymentProblem.PAYMENT_UNAVAILABLE, "try again shortly"));
    }

    /** An error after the voucher was accepted: the upstream's, not the payment check's (not failed closed). */
    private static final class ForwardFailed extends RuntimeException {
        ForwardFailed(Throwable cause) {
            super(cause);
        }
    }

    private void count(String outcome) {
        checks.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("tollgate.voucher.checks")
                                .description("Payment checks by outcome")
                                .tag("outcome", o)
                                .register(meters))
                .increment();
    }
}
