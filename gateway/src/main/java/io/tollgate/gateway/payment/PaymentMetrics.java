package io.tollgate.gateway.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code tollgate.voucher.checks{outcome=accepted|<slug>}}: payment checks by outcome. */
final class PaymentMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> checks = new ConcurrentHashMap<>();

    PaymentMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void count(String outcome) {
        checks.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("tollgate.voucher.checks")
                                .description("Payment checks by outcome")
                                .tag("outcome", o)
                                .register(meters))
                .increment();
    }
}
