package io.tollgate.gateway.redemption;

import org.web3j.tx.TransactionManager;

/**
 * The transaction manager of the gateway's operator key (it keeps the key's nonce): every transaction the operator
 * sends goes through this one.
 */
public record OperatorTransactions(TransactionManager manager) {}
