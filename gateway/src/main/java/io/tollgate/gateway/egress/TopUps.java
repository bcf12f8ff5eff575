package io.tollgate.gateway.egress;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tops up an egress channel's deposit with a funding key when the provider's gateway reports its remaining
 * credit below a threshold: at most one top-up per channel at a time, off the request path.
 */
public final class TopUps {
    private static final Logger log = LoggerFactory.getLogger(TopUps.class);

    private final Web3j web3j;
    private final TransactionManager funder;
    private final Wei below;
    private final Wei amount;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public TopUps(Web3j web3j, TransactionManager funder, Wei below, Wei amount) {
        this.web3j = web3j;
        this.funder = funder;
        this.below = below;
        this.amount = amount;
    }

    /** Called with the credit an accepted response reported. */
    public void observe(String channel, Wei remainingCredit) {
        if (remainingCredit.compareTo(below) >= 0 || !running.add(channel)) {
            return;
        }
        Mono.fromRunnable(() -> new ChannelClient(web3j, channel, funder, BigInteger.ZERO).depositEther(amount))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnSuccess(ignored -> log.atInfo()
                        .addKeyValue("channel", channel)
                        .addKeyValue("amountWei", amount.toString())
                        .log("topped up the egress channel"))
                .doOnError(e -> log.atWarn().addKeyValue("channel", channel).log("top-up failed: {}", e.toString()))
                .doFinally(signal -> running.remove(channel))
                .onErrorComplete()
                .subscribe();
    }
}
