package io.tollgate.gateway.redemption;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelRevertedException;
import io.tollgate.contracts.channel.ChannelTimes;
import io.tollgate.contracts.channel.FeeEstimator;
import io.tollgate.contracts.channel.Fees;
import io.tollgate.contracts.channel.SignedVoucher;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The operator's contract calls through the contracts module's client: simulated first (a refusal is an
 * error naming the contract's custom error and is not retried), sent as EIP-1559 transactions (legacy on a
 * chain without base fee) with the estimated gas and a fee cap of 2 × base fee + tip up to the ceiling, awaited
 * until mined. The transaction manager keeps the operator's nonce; node errors are retried with backoff. The
 * fee estimate the scheduler decides on is kept for {@link #FEE_ESTIMATE_MAX_AGE}, read off the event loop.
 */
public final class Web3jRedemptionChain implements RedemptionChain {
    private final Web3j web3j;
    private final TransactionManager operator;
    /** How long a fee estimate is reused for decisions (a block or so). */
    public static final Duration FEE_ESTIMATE_MAX_AGE = Duration.ofSeconds(15);

    private final FeeEstimator fees;

    /** Fee estimates up to {@code gasPriceCeiling} wei per gas, aged by {@code clock} (the gateway's clock bean). */
    public Web3jRedemptionChain(Web3j web3j, TransactionManager operator, BigInteger gasPriceCeiling, Clock clock) {
        this(web3j, operator, new FeeEstimator(web3j, new Wei(gasPriceCeiling), FEE_ESTIMATE_MAX_AGE, clock));
    }

    public Web3jRedemptionChain(Web3j web3j, TransactionManager operator, FeeEstimator fees) {
        this.web3j = web3j;
        this.operator = operator;
        this.fees = fees;
    }

    @Override
    public Mono<Fees> fees() {
        return Mono.fromCallable(fees::current)
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500))
                        .filter(e -> e instanceof java.io.UncheckedIOException));
    }

    @Override
    public Optional<String> operatorAddress() {
        return Optional.of(operator.getFromAddress().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Mono<ChannelTimes> times(String channel) {
        return Mono.fromCallable(() -> ChannelClient.readOnly(web3j, channel).times())
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500))
                        .filter(e -> e instanceof java.io.UncheckedIOException));
    }

    @Override
    public Mono<String> startRedemption(String channel, PriceTable nextPrices) {
        return call(channel, client -> client.startRedemption(nextPrices));
    }

    @Override
    public Mono<String> finishRedemption(String channel, long epoch, List<PaidVoucher> vouchers) {
        var signed = vouchers.stream()
                .map(v -> new SignedVoucher(
                        v.voucher().category(),
                        v.voucher().count(),
                        v.voucher().count(),
                        v.voucher().signature()))
                .toList();
        return call(channel, client -> client.finishRedemption(epoch, signed));
    }

    @Override
    public Mono<ChannelClient.Claimed> claim(String channel, long epoch, List<PaidVoucher> vouchers) {
        var signed = vouchers.stream()
                .map(v -> new SignedVoucher(
                        v.voucher().category(),
                        v.voucher().count(),
                        v.voucher().count(),
                        v.voucher().signature()))
                .toList();
        return Mono.fromCallable(() -> new ChannelClient(web3j, channel, operator, fees).claim(epoch, signed))
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500))
                        .filter(error -> !(error instanceof ChannelRevertedException)));
    }

    @Override
    public Mono<String> startEpoch(String channel, PriceTable prices) {
        return call(channel, client -> client.startEpoch(prices));
    }

    @Override
    public Mono<List<Long>> claimedCounts(String channel, long epoch) {
        return read(() -> ChannelClient.readOnly(web3j, channel).redeemedCounts(epoch));
    }

    @Override
    public Mono<PriceTable> pricesOf(String channel, long epoch) {
        return read(() -> ChannelClient.readOnly(web3j, channel).pricesOf(epoch));
    }

    private static <T> Mono<T> read(java.util.concurrent.Callable<T> read) {
        return Mono.fromCallable(read)
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500))
                        .filter(e -> e instanceof java.io.UncheckedIOException));
    }

    private Mono<String> call(String channel, Function<ChannelClient, TransactionReceipt> send) {
        return Mono.fromCallable(() -> send.apply(new ChannelClient(web3j, channel, operator, fees))
                        .getTransactionHash())
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500))
                        .filter(error -> !(error instanceof ChannelRevertedException)));
    }
}
