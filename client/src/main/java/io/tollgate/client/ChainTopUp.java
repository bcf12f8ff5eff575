package io.tollgate.client;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.TransactionManager;

/**
 * A {@link TopUp} that adds {@code amount} to a channel's deposit on chain with the funding key, in the channel's
 * token: ether with the deposit call; an ERC-20 that supports EIP-2612 with one permit to the factory and one
 * transaction ({@code depositWithPermit}); any other ERC-20 with approve, then deposit (two transactions). Whether a
 * token supports permits is read from it once ({@code eip712Domain()}, {@code DOMAIN_SEPARATOR()} and {@code
 * nonces}); a permit's deadline is an hour after the chain's latest block.
 *
 * <pre>{@code
 * var topUp = new ChainTopUp(web3j, ownerKey, transactions, factory, usdToken, Wei.of(5_000_000), gasCeiling);
 * TollgateClient.builder()...token(usdToken, new TokenUnit("USDT-demo", 6)).topUp(Wei.of(1_000_000), topUp)
 * }</pre>
 */
public final class ChainTopUp implements TopUp {

    /** How a top-up was sent. */
    public enum Funding {
        /** {@code deposit} with ether. */
        ETHER,
        /** One EIP-2612 permit to the factory and one {@code depositWithPermit} transaction. */
        PERMIT,
        /** {@code approve} to the channel, then {@code deposit}: a token without permits. */
        APPROVE_THEN_DEPOSIT
    }

    private static final Duration PERMIT_LIFETIME = Duration.ofHours(1);

    private final Web3j web3j;
    private final Credentials funder;
    private final TransactionManager transactions;
    private final String factory;
    private final String token;
    private final Wei amount;
    private final BigInteger gasPriceCeiling;
    private final Map<String, Boolean> permits = new ConcurrentHashMap<>();

    /**
     * @param funder the key the deposit comes from (it holds the ether or tokens; anyone may deposit)
     * @param transactions sends {@code funder}'s transactions
     * @param factory the factory the channel was created by (the permit's spender)
     * @param token the channel's token ({@code 0x0…0}: ether)
     * @param amount how much each top-up adds, in the token's smallest unit
     * @param gasPriceCeiling the most paid per gas, wei (0: no ceiling)
     */
    public ChainTopUp(
            Web3j web3j,
            Credentials funder,
            TransactionManager transactions,
            String factory,
            String token,
            Wei amount,
            BigInteger gasPriceCeiling) {
        if (!Address.isAddress(factory) || !Address.isAddress(token)) {
            throw new IllegalArgumentException("factory and token must be 0x and 40 hex digits");
        }
        this.web3j = web3j;
        this.funder = funder;
        this.transactions = transactions;
        this.factory = factory.toLowerCase(Locale.ROOT);
        this.token = token.toLowerCase(Locale.ROOT);
        this.amount = amount;
        this.gasPriceCeiling = gasPriceCeiling;
    }

    @Override
    public void topUp(ChannelTerms channel, Wei remainingCredit) {
        deposit(channel.channel());
    }

    /** Adds {@code amount} to {@code channel}'s deposit now; says how. */
    public Funding deposit(String channel) {
        if (Address.ZERO.value().equals(token)) {
            new ChannelClient(web3j, channel, transactions, gasPriceCeiling).depositEther(amount);
            return Funding.ETHER;
        }
        if (supportsPermit()) {
            var permit = TokenPermits.sign(
                    web3j, token, funder, factory, amount, chainTime().plus(PERMIT_LIFETIME));
            new FactoryClient(web3j, factory, transactions, gasPriceCeiling).depositWithPermit(channel, permit);
            return Funding.PERMIT;
        }
        new ChannelClient(web3j, channel, transactions, gasPriceCeiling).depositToken(token, amount);
        return Funding.APPROVE_THEN_DEPOSIT;
    }

    /** Whether the token takes EIP-2612 permits (read once). */
    public boolean supportsPermit() {
        return permits.computeIfAbsent(token, t -> {
            try {
                TokenPermits.domain(web3j, t);
                TokenPermits.nonce(web3j, t, funder.getAddress());
                return true;
            } catch (RuntimeException noPermits) {
                return false;
            }
        });
    }

    private Instant chainTime() {
        try {
            long seconds = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                    .send()
                    .getBlock()
                    .getTimestamp()
                    .longValueExact();
            return Instant.ofEpochSecond(seconds);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the chain's latest block failed", e);
        }
    }
}
