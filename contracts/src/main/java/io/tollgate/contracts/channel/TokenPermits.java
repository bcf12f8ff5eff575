package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.DemoUsd;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.TokenAuthorizations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * EIP-2612 permits signed with a web3j key, for the factory's permit entry points ({@link
 * FactoryClient#createChannelWithPermit}, {@link FactoryClient#depositWithPermit}, {@link
 * FactoryClient#depositCollateralWithPermit}): the holder signs one permit naming the factory as spender and sends
 * one transaction. The digest is the protocol module's ({@link TokenAuthorizations#permitDigest}) under the token's
 * own EIP-712 domain, read from the token ({@code eip712Domain()}, ERC-5267) and checked against its {@code
 * DOMAIN_SEPARATOR()}; the nonce is the owner's current one ({@code nonces(owner)}).
 */
public final class TokenPermits {
    private static final String NOBODY = "0x0000000000000000000000000000000000000000";

    private TokenPermits() {}

    /**
     * A signed permit: {@code owner} lets {@code spender} take {@code value} of {@code token} until {@code deadline}
     * (seconds), at {@code nonce}; v (27/28), r and s as the token's {@code permit} takes them.
     */
    public record Permit(
            String token,
            String owner,
            String spender,
            BigInteger value,
            BigInteger nonce,
            BigInteger deadline,
            int v,
            byte[] r,
            byte[] s) {
        public Permit {
            r = r.clone();
            s = s.clone();
        }

        @Override
        public byte[] r() {
            return r.clone();
        }

        @Override
        public byte[] s() {
            return s.clone();
        }
    }

    /**
     * A permit entry point's arguments that carry no permit: the factory tolerates a permit that does not apply when
     * the sender's allowance to it covers {@code value} (approve-then-fund, for a token without EIP-2612).
     */
    public static Permit allowanceOnly(String token, String owner, String spender, BigInteger value) {
        return new Permit(
                token, owner, spender, value, BigInteger.ZERO, BigInteger.ZERO, 0, new byte[32], new byte[32]);
    }

    /** A permit from the 65-byte signature r‖s‖v a wallet answered ({@code eth_signTypedData_v4}). */
    public static Permit of(
            String token,
            String owner,
            String spender,
            BigInteger value,
            BigInteger nonce,
            BigInteger deadline,
            byte[] signature) {
        if (signature.length != 65) {
            throw new IllegalArgumentException("a permit signature is 65 bytes r‖s‖v");
        }
        int v = signature[64] & 0xff;
        return new Permit(
                token,
                owner,
                spender,
                value,
                nonce,
                deadline,
                v < 27 ? v + 27 : v,
                Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64));
    }

    /**
     * The EIP-712 domain of {@code token} if it takes EIP-2612 permits (it answers {@code eip712Domain()}, {@code
     * DOMAIN_SEPARATOR()} and {@code nonces(owner)} consistently), empty if it does not (a plain ERC-20). A node that
     * cannot be reached is an {@link UncheckedIOException}, not an answer.
     */
    public static Optional<TokenAuthorizations.Domain> permitDomain(Web3j web3j, String token, String owner) {
        try {
            var domain = domain(web3j, token);
            nonce(web3j, token, owner);
            return Optional.of(domain);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The data of the token's {@code approve(spender, value)} for a wallet to send. */
    public static String approveData(String spender, BigInteger value) {
        return FunctionEncoder.encode(new Function(
                DemoUsd.FUNC_APPROVE,
                List.of(new org.web3j.abi.datatypes.Address(spender), new Uint256(value)),
                List.of()));
    }

    /** The EIP-712 domain of {@code token} as it reports it, checked against its {@code DOMAIN_SEPARATOR()}. */
    public static TokenAuthorizations.Domain domain(Web3j web3j, String token) {
        var contract = readOnly(web3j, token);
        try {
            var reported = contract.eip712Domain().send();
            var domain = new TokenAuthorizations.Domain(
                    reported.component2(),
                    reported.component3(),
                    reported.component4().longValueExact(),
                    Address.of(reported.component5()));
            byte[] separator = contract.DOMAIN_SEPARATOR().send();
            if (!Arrays.equals(separator, domain.separator())) {
                throw new IllegalStateException("the EIP-712 domain " + domain + " of " + token
                        + " is not what its DOMAIN_SEPARATOR() hashes (a salt or other fields?)");
            }
            return domain;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the EIP-712 domain of " + token + " failed", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("reading the EIP-712 domain of " + token + " failed", e);
        }
    }

    /** The owner's current permit nonce at {@code token}. */
    public static BigInteger nonce(Web3j web3j, String token, String owner) {
        try {
            return readOnly(web3j, token).nonces(owner).send();
        } catch (Exception e) {
            throw new IllegalStateException("reading the permit nonce of " + owner + " at " + token + " failed", e);
        }
    }

    /**
     * {@code owner} signs a permit for {@code spender} to take {@code value} of {@code token} until {@code deadline},
     * at the owner's current nonce (read from the token).
     */
    public static Permit sign(
            Web3j web3j, String token, Credentials owner, String spender, Wei value, Instant deadline) {
        var domain = domain(web3j, token);
        BigInteger nonce = nonce(web3j, token, owner.getAddress());
        return sign(domain, owner, spender, value, nonce, deadline);
    }

    /** As {@link #sign(Web3j, String, Credentials, String, Wei, Instant)}, with the domain and nonce given. */
    public static Permit sign(
            TokenAuthorizations.Domain domain,
            Credentials owner,
            String spender,
            Wei value,
            BigInteger nonce,
            Instant deadline) {
        BigInteger seconds = BigInteger.valueOf(deadline.getEpochSecond());
        byte[] digest = TokenAuthorizations.permitDigest(
                domain, Address.of(owner.getAddress()), Address.of(spender), value.value(), nonce, seconds);
        byte[] signature = VoucherSignatures.sign(digest, owner.getEcKeyPair());
        return new Permit(
                domain.token().value(),
                owner.getAddress(),
                spender,
                value.value(),
                nonce,
                seconds,
                signature[64] & 0xff,
                Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64));
    }

    /** Deploys the demo dollar (DemoUsd: 6 decimals, permit, EIP-3009, open faucet) and returns its address. */
    public static String deployDemoUsd(Web3j web3j, TransactionManager deployer) {
        try {
            return DemoUsd.deploy(web3j, deployer, new DefaultGasProvider())
                    .send()
                    .getContractAddress();
        } catch (Exception e) {
            throw new IllegalStateException("deploying DemoUsd failed", e);
        }
    }

    /** The demo dollar's open faucet: mints {@code amount} (smallest units) of DemoUsd {@code token} to the sender. */
    public static void faucet(Web3j web3j, TransactionManager holder, String token, Wei amount) {
        try {
            DemoUsd.load(token, web3j, holder, new DefaultGasProvider())
                    .faucet(amount.value())
                    .send();
        } catch (Exception e) {
            throw new IllegalStateException("the DemoUsd faucet at " + token + " refused " + amount, e);
        }
    }

    /** {@code holder}'s balance of the ERC-20 {@code token}, in its smallest unit. */
    public static Wei balanceOf(Web3j web3j, String token, String holder) {
        try {
            return new Wei(readOnly(web3j, token).balanceOf(holder).send());
        } catch (Exception e) {
            throw new IllegalStateException("reading the balance of " + holder + " at " + token + " failed", e);
        }
    }

    private static DemoUsd readOnly(Web3j web3j, String token) {
        return DemoUsd.load(token, web3j, new ReadonlyTransactionManager(web3j, NOBODY), new DefaultGasProvider());
    }
}
