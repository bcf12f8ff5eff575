package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.contracts.channel.Fees;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The operator's contract calls: release 1's two phases, and release 2's claims (which a chain of release 1 only
 * need not implement). Implementations send the transaction (nonce management, fees up to the gas-price ceiling,
 * retries) and complete with its hash once the receipt shows success; a reverted or unsendable
 * transaction is an error signal.
 */
public interface RedemptionChain {

    /**
     * What one gas costs on this chain now (an estimate that may be a few seconds old): the scheduler weighs a
     * redemption's value against its gas cost. An error signal when the node cannot tell.
     */
    Mono<Fees> fees();

    /** {@code startRedemption(nextPrices)}: the active epoch starts expiring, the next one opens. */
    Mono<String> startRedemption(String channel, PriceTable nextPrices);

    /** {@code finishRedemption(epoch, vouchers)} with at most one (the best) voucher per category. */
    Mono<String> finishRedemption(String channel, long epoch, List<PaidVoucher> vouchers);

    /**
     * Release 2: {@code claim(epoch, vouchers)} with the best voucher of each category that has more to pay;
     * completes with what the chain's {@code Claimed} event says it paid. A refusal is a {@link
     * io.tollgate.contracts.channel.ChannelRevertedException}.
     */
    default Mono<ChannelClient.Claimed> claim(String channel, long epoch, List<PaidVoucher> vouchers) {
        return Mono.error(new UnsupportedOperationException("this chain client does not claim (release 2)"));
    }

    /** Release 2: {@code startEpoch(prices)}: a new epoch (for a new table or the pending signer). */
    default Mono<String> startEpoch(String channel, PriceTable prices) {
        return Mono.error(new UnsupportedOperationException("this chain client does not start epochs (release 2)"));
    }

    /** The counts claimed so far of {@code epoch}, per category ({@code redeemedCounts(epoch)}). */
    default Mono<List<Long>> claimedCounts(String channel, long epoch) {
        return Mono.error(new UnsupportedOperationException("this chain client does not read claimed counts"));
    }

    /** The price table of {@code epoch} ({@code pricesOf}; fixed once the epoch opened). */
    default Mono<PriceTable> pricesOf(String channel, long epoch) {
        return Mono.error(new UnsupportedOperationException("this chain client does not read price tables"));
    }

    /**
     * The channel's own T_r and T_c ({@code parties()}: fixed at creation, so callers may keep them); empty when
     * this implementation cannot read them (then the configured tolerance is assumed).
     */
    default Mono<ChannelTimes> times(String channel) {
        return Mono.empty();
    }

    /** The address these calls are sent from, lower-case, when known. */
    default Optional<String> operatorAddress() {
        return Optional.empty();
    }
}
