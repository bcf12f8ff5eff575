package io.tollgate.client;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Headers;
import io.tollgate.protocol.Problem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.web3j.crypto.ECKeyPair;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls paid APIs through a Tollgate gateway: adds a fresh signed {@code Payment-Voucher} to each request,
 * follows the channel into a new epoch when the gateway says one started (if its prices stay within the
 * caps), turns problem+json refusals into exceptions that say what to do, and asks for a top-up when the
 * remaining credit runs low.
 *
 * <p>A count is paid once a higher one is redeemed, so a count whose request got no answer (the gateway was
 * down, the connection broke, the request timed out, or the gateway answered {@code payment-unavailable}) is
 * not thrown away: the next request of the same
 * channel, epoch and category sends it again. If the gateway did record it before the answer was lost, it
 * refuses it as a replay and the client signs a fresh count for that request; otherwise the count pays for the
 * retry and the consumer pays nothing for the failed attempt. Such counts are kept in memory only.
 *
 * <pre>{@code
 * var client = TollgateClient.builder()
 *         .terms(new ChannelTerms(channel, 31337, 1, PriceTable.of(1000, 2500)))
 *         .signer(signerKey)
 *         .counters(new FileVoucherCounters(Path.of("tollgate-counters.log")))
 *         .build();
 * HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).build(), 0);
 * }</pre>
 */
public final class TollgateClient {
    public static final String VOUCHER_HEADER = Headers.VOUCHER;
    public static final String ACCEPTED_COUNT_HEADER = Headers.ACCEPTED_COUNT;
    public static final String REMAINING_CREDIT_HEADER = Headers.REMAINING_CREDIT;
    public static final String ORIGIN_HEADER = Headers.ORIGIN;

    /** Problems after which the gateway names the channel's active epoch and price table. */
    private static final Set<String> NEW_TERMS =
            Set.of(Problem.EPOCH_EXPIRED.slug(), Problem.EPOCH_UNKNOWN.slug(), Problem.PRICE_TABLE_STALE.slug());
    /** The gateway's problem for a count it has already recorded (or one below its anti-replay window). */
    private static final String REPLAYED = Problem.VOUCHER_REPLAYED.slug();
    /** The gateway's problem when it could not check a voucher (Redis or the chain out of reach). */
    private static final String UNAVAILABLE = Problem.PAYMENT_UNAVAILABLE.slug();

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final VoucherSigner signer;
    private final VoucherCounters counters;
    private final List<Wei> caps;
    private final String token;
    private final TokenUnit unit;
    private final String origin;
    private final Wei topUpThreshold;
    private final TopUp topUp;
    private final Executor topUpExecutor;
    private final AtomicReference<ChannelTerms> terms;
    private final AtomicReference<Wei> remainingCredit = new AtomicReference<>();
    private final AtomicBoolean topUpRunning = new AtomicBoolean();
    /** Counts signed for requests that got no answer, per channel/epoch/category key, to send again. */
    private final Map<String, Queue<Long>> unanswered = new ConcurrentHashMap<>();

    private TollgateClient(Builder builder) {
        this.http = builder.http != null ? builder.http : HttpClient.newHttpClient();
        this.signer = new VoucherSigner(builder.signer);
        this.counters = builder.counters;
        this.terms = new AtomicReference<>(builder.terms);
        this.token = builder.token;
        this.unit = builder.unit;
        List<Wei> ownTokenCaps = builder.tokenCaps.get(builder.token);
        this.caps = ownTokenCaps != null
                ? ownTokenCaps
                : builder.caps != null
                        ? List.copyOf(builder.caps)
                        : builder.terms.prices().prices();
        this.origin = builder.origin;
        this.topUpThreshold = builder.topUpThreshold;
        this.topUp = builder.topUp;
        this.topUpExecutor = builder.topUpExecutor != null ? builder.topUpExecutor : Thread.ofVirtual()::start;
        checkCaps(builder.terms);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The terms the client signs for now. */
    public ChannelTerms terms() {
        return terms.get();
    }

    /** The token the channel holds ({@code 0x0…0}: ether), lower case. */
    public String token() {
        return token;
    }

    /** The caps in force per category, in the channel token's smallest unit. */
    public List<Wei> caps() {
        return caps;
    }

    /** The signer address the channel must name. */
    public String signerAddress() {
        return signer.address();
    }

    /** The funded credit the gateway reported after the last accepted request, if any. */
    public Optional<Wei> remainingCredit() {
        return Optional.ofNullable(remainingCredit.get());
    }

    /**
     * Sends {@code request} paying for one request of {@code category}.
     *
     * @return the upstream's answer (any status the upstream chose)
     * @throws PriceAboveCapException before signing, when the category costs more than the cap
     * @throws PaymentRequiredException when the gateway wants a payment this channel cannot make
     * @throws PaymentRefusedException when the gateway refuses the voucher for another reason
     */
    public HttpResponse<String> send(HttpRequest request, int category) throws IOException, InterruptedException {
        HttpResponse<String> response = sendOnce(request, category);
        Optional<PaymentProblem> problem = problemOf(response);
        if (problem.isPresent() && NEW_TERMS.contains(problem.get().slug()) && adoptNewTerms(problem.get())) {
            response = sendOnce(request, category);
            problem = problemOf(response);
        }
        if (problem.isPresent()) {
            throw problem.get().status() == Problem.PAYMENT_REQUIRED.status()
                    ? new PaymentRequiredException(problem.get())
                    : new PaymentRefusedException(problem.get());
        }
        noteCredit(response);
        return response;
    }

    private HttpResponse<String> sendOnce(HttpRequest request, int category) throws IOException, InterruptedException {
        ChannelTerms current = terms.get();
        checkCap(current, category);
        Queue<Long> retries = unanswered.computeIfAbsent(
                current.channel().toLowerCase(Locale.ROOT) + " " + current.epoch() + " " + category,
                k -> new ConcurrentLinkedQueue<>());
        while (true) {
            Long retry = retries.poll();
            long count = retry != null ? retry : counters.next(current.channel(), current.epoch(), category);
            var paid = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(VOUCHER_HEADER))
                    .header(VOUCHER_HEADER, signer.sign(current, category, count));
            if (origin != null && request.headers().firstValue(ORIGIN_HEADER).isEmpty()) {
                paid.header(ORIGIN_HEADER, origin);
            }
            HttpResponse<String> response;
            try {
                response = http.send(paid.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException noAnswer) {
                retries.add(count);
                throw noAnswer;
            }
            String problem = problemOf(response).map(PaymentProblem::slug).orElse("");
            if (UNAVAILABLE.equals(problem)) {
                retries.add(count); // the gateway could not check it: it may or may not have recorded it
            }
            if (retry == null || !REPLAYED.equals(problem)) {
                return response;
            }
        }
    }

    private boolean adoptNewTerms(PaymentProblem problem) {
        ChannelTerms current = terms.get();
        Object epoch = problem.members().get("activeEpoch");
        Object table = problem.members().get("priceTable");
        if (!current.channel().equalsIgnoreCase(problem.member("channel").orElse(""))
                || !(epoch instanceof Number e)
                || !(table instanceof List<?> prices)) {
            return false;
        }
        var parsed = new ArrayList<Wei>();
        for (Object price : prices) {
            parsed.add(Wei.parse(String.valueOf(price)));
        }
        ChannelTerms next = current.inEpoch(e.longValue(), new PriceTable(parsed));
        if (next.epoch() == current.epoch() && next.prices().equals(current.prices())) {
            return false;
        }
        checkCaps(next);
        if (terms.compareAndSet(current, next)) { // a concurrent request may have adopted them first: same terms
            // counts of the old epoch can no longer be sent: the gateway refuses that epoch
            String channel = current.channel().toLowerCase(Locale.ROOT) + " " + current.epoch() + " ";
            unanswered.keySet().removeIf(key -> key.startsWith(channel));
        }
        return true;
    }

    private void checkCaps(ChannelTerms candidate) {
        for (int category = 0; category < candidate.prices().categories(); category++) {
            checkCap(candidate, category);
        }
    }

    private void checkCap(ChannelTerms candidate, int category) {
        Wei price = candidate.price(category);
        Wei cap = category < caps.size() ? caps.get(category) : Wei.ZERO;
        if (price.compareTo(cap) > 0) {
            throw new PriceAboveCapException(category, price, cap, unit);
        }
    }

    private void noteCredit(HttpResponse<String> response) {
        Optional<String> credit = response.headers().firstValue(REMAINING_CREDIT_HEADER);
        if (credit.isEmpty()) {
            return;
        }
        Wei remaining = Wei.parse(credit.get().strip());
        remainingCredit.set(remaining);
        if (topUp != null && remaining.compareTo(topUpThreshold) < 0 && topUpRunning.compareAndSet(false, true)) {
            ChannelTerms current = terms.get();
            topUpExecutor.execute(() -> {
                try {
                    topUp.topUp(current, remaining);
                } finally {
                    topUpRunning.set(false);
                }
            });
        }
    }

    static Optional<PaymentProblem> problemOf(HttpResponse<String> response) {
        boolean isProblem = response.headers()
                .firstValue("Content-Type")
                .map(type -> type.startsWith("application/problem+json"))
                .orElse(false);
        if (!isProblem) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            return Optional.of(new PaymentProblem(
                    null, "Unreadable problem", response.statusCode(), "the gateway sent invalid JSON", Map.of()));
        }
        Map<String, Object> members = new LinkedHashMap<>();
        for (var field : body.properties()) {
            members.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
        }
        Supplier<String> type = () -> body.path("type").asString(null);
        return Optional.of(new PaymentProblem(
                type.get() == null ? null : URI.create(type.get()),
                body.path("title").asString(null),
                body.path("status").asInt(response.statusCode()),
                body.path("detail").asString(null),
                members));
    }

    /** Configures a {@link TollgateClient}; terms, signer and counters are required. */
    public static final class Builder {
        private HttpClient http;
        private ChannelTerms terms;
        private ECKeyPair signer;
        private VoucherCounters counters;
        private List<Wei> caps;
        private final Map<String, List<Wei>> tokenCaps = new LinkedHashMap<>();
        private String token = Address.ZERO.value();
        private TokenUnit unit = TokenUnit.ETHER;
        private String origin;
        private Wei topUpThreshold = Wei.ZERO;
        private TopUp topUp;
        private Executor topUpExecutor;

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder terms(ChannelTerms terms) {
            this.terms = terms;
            return this;
        }

        /** The channel's signer key (hot key; it can only sign vouchers for this channel). */
        public Builder signer(ECKeyPair signer) {
            this.signer = signer;
            return this;
        }

        public Builder counters(VoucherCounters counters) {
            this.counters = counters;
            return this;
        }

        /**
         * The most the consumer pays per request of each category, in the channel token's smallest unit; defaults
         * to the initial prices. Caps given for the channel's token with {@link #caps(String, List)} come first.
         */
        public Builder caps(List<Wei> caps) {
            this.caps = caps;
            return this;
        }

        /**
         * Caps for channels holding {@code token} ({@code 0x0…0}: ether), in its smallest unit: a consumer with
         * channels in several tokens configures each token's caps apart, and a cap given for one token never applies
         * to a channel of another (that channel's caps are its {@link #caps(List)}, or its initial prices).
         */
        public Builder caps(String token, List<Wei> caps) {
            if (!Address.isAddress(token)) {
                throw new IllegalArgumentException("a token is 0x and 40 hex digits: " + token);
            }
            this.tokenCaps.put(token.toLowerCase(Locale.ROOT), List.copyOf(caps));
            return this;
        }

        /**
         * The token the channel holds and its unit (symbol and decimals, for messages); default ether. The 402
         * body names both ({@code token} and {@code asset}, see {@link PaymentProblem#asset()}).
         */
        public Builder token(String token, TokenUnit unit) {
            if (!Address.isAddress(token)) {
                throw new IllegalArgumentException("a token is 0x and 40 hex digits: " + token);
            }
            this.token = token.toLowerCase(Locale.ROOT);
            this.unit = unit;
            return this;
        }

        /** The origin sent in {@code Tollgate-Origin} for transitive tracing, unless the request has one. */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** Calls {@code topUp} when the remaining credit falls below {@code threshold}. */
        public Builder topUp(Wei threshold, TopUp topUp) {
            this.topUpThreshold = threshold;
            this.topUp = topUp;
            return this;
        }

        public Builder topUpExecutor(Executor executor) {
            this.topUpExecutor = executor;
            return this;
        }

        public TollgateClient build() {
            if (terms == null || signer == null || counters == null) {
                throw new IllegalStateException("terms, signer and counters are required");
            }
            return new TollgateClient(this);
        }
    }
}
