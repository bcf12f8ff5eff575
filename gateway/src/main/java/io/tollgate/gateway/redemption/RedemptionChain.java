package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.contracts.channel.Fees;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The operator's two contract calls. Implementations send the transaction (nonce management, fees up to the
 * gas-price ceiling, retries) and complete with its hash once the receipt shows success; a reverted or unsendable
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
