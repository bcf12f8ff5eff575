package io.tollgate.gateway.payment;

import io.tollgate.gateway.problem.PaymentProblem;
import io.tollgate.gateway.problem.Refusal;
import io.tollgate.pricing.Wei;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one check of a paid request: the {@link PaymentScheme} whose payment the request carries decides; a request
 * that carries none is refused with {@code payment-required} and every scheme's challenge.
 */
public final class PaymentCheck {

    /** Whether a request is paid for. */
    public sealed interface Outcome {

        /**
         * Paid and recorded: the request must be forwarded.
         *
         * @param payer who paid (the channel, lower case): the origin unless the caller names one
         * @param epoch the epoch paid in
         * @param category the category paid for
         * @param price what the request was worth
         * @param responseHeaders the headers the answer carries, in this order
         * @param settlement what is done once the upstream answered, before the answer's headers go out (an x402
         *     {@code exact} authorization is settled on chain); {@link Settlement#NONE} for a voucher
         */
        record Accepted(
                String payer,
                long epoch,
                int category,
                Wei price,
                SequencedMap<String, String> responseHeaders,
                Settlement settlement)
                implements Outcome {
            public Accepted {
                responseHeaders = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(responseHeaders));
            }

            /** Paid in full when checked: nothing to settle afterwards. */
            public Accepted(
                    String payer, long epoch, int category, Wei price, SequencedMap<String, String> responseHeaders) {
                this(payer, epoch, category, price, responseHeaders, Settlement.NONE);
            }
        }

        /** Not paid: the problem, a detail, and members saying what to do next. Nothing was recorded. */
        record Refused(PaymentProblem problem, String detail, Map<String, Object> extensions) implements Outcome {
            public Refused {
                extensions = Map.copyOf(extensions);
            }

            public static Refused of(Refusal refusal) {
                return new Refused(refusal.problem(), refusal.detail(), refusal.members());
            }

            public static Refused of(PaymentProblem problem, String detail) {
                return new Refused(problem, detail, Map.of());
            }

            /** As the problems write it. */
            public Refusal refusal() {
                return new Refusal(problem, detail, extensions);
            }
        }
    }

    /**
     * What an accepted payment still does after the upstream answered: given the upstream's status, the headers the
     * answer gets in addition. Never an error signal.
     */
    @FunctionalInterface
    public interface Settlement {
        Settlement NONE = status -> Mono.just(Map.of());

        Mono<Map<String, String>> settle(int upstreamStatus);
    }

    private final List<PaymentScheme> schemes;

    public PaymentCheck(List<PaymentScheme> schemes) {
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("no payment scheme");
        }
        this.schemes = List.copyOf(schemes);
    }

    public Mono<Outcome> check(PaymentRequest request) {
        for (PaymentScheme scheme : schemes) {
            if (scheme.handles(request.http())) {
                return scheme.check(request);
            }
        }
        return Flux.fromIterable(schemes)
                .concatMap(scheme -> scheme.challenge(request))
                .collect(LinkedHashMap<String, Object>::new, Map::putAll)
                .map(members -> new Outcome.Refused(
                        PaymentProblem.PAYMENT_REQUIRED,
                        schemes.stream()
                                .map(s -> s.headers().getFirst())
                                .collect(Collectors.joining(" or a ", "send a ", "")),
                        members));
    }

    /** Every scheme's request headers: none reaches the upstream. */
    public List<String> headers() {
        return schemes.stream().flatMap(s -> s.headers().stream()).distinct().toList();
    }
}
