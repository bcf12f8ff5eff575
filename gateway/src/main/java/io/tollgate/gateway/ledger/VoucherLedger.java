package io.tollgate.gateway.ledger;

import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.Wei;
import java.util.List;
import java.util.NavigableMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records a voucher if, and only if, it pays: its count was not used before inside the anti-replay window,
 * and the channel's exposure stays within its unredeemed deposit; the best voucher per epoch and category is
 * kept with its signature. Check and record are ONE atomic step: implementations must never read, decide and
 * then write across a network hop (two replicas racing would both be served).
 *
 * <p>The reads below are for the redemption, which pays the best vouchers out; none of them takes part in a
 * decision of {@link #record}.
 *
 * <p>Infrastructure failure (the store is down) is an error signal, never an outcome: callers fail closed.
 */
public interface VoucherLedger {

    Mono<LedgerOutcome> record(LedgerEntry entry);

    /**
     * The best voucher stored for each epoch and category of a channel: by epoch (ascending), each epoch's in
     * category order; empty when none was recorded.
     */
    Mono<NavigableMap<Long, List<PaidVoucher>>> best(String channel);

    /** Σ best count × price over the categories of one epoch of a channel; zero when nothing was recorded. */
    Mono<Wei> exposure(String channel, long epoch);

    /**
     * Every channel with a ledger (each at least once, possibly more often): a scan over the store, for
     * background work only.
     */
    Flux<String> channels();
}
