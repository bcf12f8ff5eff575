package io.tollgate.gateway.ledger;

import reactor.core.publisher.Mono;

/**
 * Records a voucher if, and only if, it pays: its count was not used before inside the anti-replay window,
 * and the channel's exposure stays within its unredeemed deposit; the best voucher per epoch and category is
 * kept with its signature. Check and record are ONE atomic step: implementations must never read, decide and
 * then write across a network hop (two replicas racing would both be served).
 *
 * <p>Infrastructure failure (the store is down) is an error signal, never an outcome: callers fail closed.
 */
public interface VoucherLedger {

    Mono<LedgerOutcome> record(LedgerEntry entry);
}
