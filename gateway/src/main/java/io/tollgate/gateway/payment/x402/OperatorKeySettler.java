package io.tollgate.gateway.payment.x402;

import io.tollgate.contracts.channel.TokenAuthorizationTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Settles with the gateway's operator key: {@code transferWithAuthorization} sent to the token (simulated first,
 * EIP-1559 with the fee cap, awaited until mined) through the operator's one transaction manager, off the event
 * loop. The operator pays the gas; the funds go from the payer to the authorization's payee.
 */
final class OperatorKeySettler implements ExactSettler {
    private static final Logger log = LoggerFactory.getLogger(OperatorKeySettler.class);

    private final TokenAuthorizationTransactions transactions;

    OperatorKeySettler(TokenAuthorizationTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public Mono<Settled> settle(ExactPayment payment) {
        return Mono.fromCallable(() -> transactions.transferWithAuthorization(
                        payment.asset(), payment.authorization(), payment.signature()))
                .subscribeOn(Schedulers.boundedElastic())
                .map(receipt -> {
                    log.atInfo()
                            .addKeyValue("payer", payment.payer())
                            .addKeyValue("nonce", payment.nonceHex())
                            .addKeyValue("transaction", receipt.getTransactionHash())
                            .log("exact payment settled");
                    return Settled.mined(receipt.getTransactionHash());
                })
                .onErrorResume(e -> {
                    log.atWarn()
                            .addKeyValue("payer", payment.payer())
                            .addKeyValue("nonce", payment.nonceHex())
                            .setCause(e)
                            .log("exact payment not settled");
                    return Mono.just(Settled.failed("invalid_exact_evm_transaction_failed"));
                });
    }
}
