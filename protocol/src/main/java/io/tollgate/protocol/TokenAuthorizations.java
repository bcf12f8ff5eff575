package io.tollgate.protocol;

import io.tollgate.pricing.Keccak256;
import java.math.BigInteger;

/**
 * The EIP-712 messages a token holder signs for a token contract, written once: an EIP-2612 {@code Permit} (an
 * allowance without a transaction, e.g. for the factory's {@code createChannelWithPermit}) and EIP-3009's
 * {@code TransferWithAuthorization}, {@code ReceiveWithAuthorization} and {@code CancelAuthorization} (what x402's
 * {@code exact} scheme signs), with the type strings of EIP-2612, EIP-3009 and USDC. They are signed under the
 * token's own domain {@code (name, version, chainId, token)}; the demo dollar's is {@link #DEMO_USD_NAME} and {@link
 * #DEMO_USD_VERSION} (also its {@code name()} and {@code version()}, and what x402 payment requirements carry as
 * {@code extra.name} / {@code extra.version}).
 */
public final class TokenAuthorizations {
    /** DemoUsd's {@code name()} and EIP-712 domain name. */
    public static final String DEMO_USD_NAME = "Tollgate Demo USD";
    /** DemoUsd's {@code version()} and EIP-712 domain version (OpenZeppelin's ERC20Permit sets "1"). */
    public static final String DEMO_USD_VERSION = "1";
    /** DemoUsd's {@code symbol()}. */
    public static final String DEMO_USD_SYMBOL = "USDT-demo";
    /** DemoUsd's {@code decimals()}: a demo dollar is 10^6 units, as USDC. */
    public static final int DEMO_USD_DECIMALS = 6;

    public static final String PERMIT_TYPE =
            "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)";
    public static final String TRANSFER_WITH_AUTHORIZATION_TYPE = "TransferWithAuthorization(address from,address to,"
            + "uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)";
    public static final String RECEIVE_WITH_AUTHORIZATION_TYPE = "ReceiveWithAuthorization(address from,address to,"
            + "uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)";
    public static final String CANCEL_AUTHORIZATION_TYPE = "CancelAuthorization(address authorizer,bytes32 nonce)";

    private static final byte[] PERMIT_TYPEHASH = Eip712.keccak(PERMIT_TYPE);
    private static final byte[] TRANSFER_WITH_AUTHORIZATION_TYPEHASH = Eip712.keccak(TRANSFER_WITH_AUTHORIZATION_TYPE);
    private static final byte[] RECEIVE_WITH_AUTHORIZATION_TYPEHASH = Eip712.keccak(RECEIVE_WITH_AUTHORIZATION_TYPE);
    private static final byte[] CANCEL_AUTHORIZATION_TYPEHASH = Eip712.keccak(CANCEL_AUTHORIZATION_TYPE);
    private static final byte[] DOMAIN_TYPEHASH = Eip712.keccak(Eip712.DOMAIN_TYPE);

    private TokenAuthorizations() {}

    /** The token's EIP-712 domain: what its {@code DOMAIN_SEPARATOR()} returns. */
    public record Domain(String name, String version, long chainId, Address token) {
        /** The demo dollar deployed at {@code token} on {@code chainId}. */
        public static Domain demoUsd(long chainId, Address token) {
            return new Domain(DEMO_USD_NAME, DEMO_USD_VERSION, chainId, token);
        }

        public byte[] separator() {
            return Keccak256.hash(Eip712.concat(
                    DOMAIN_TYPEHASH,
                    Eip712.keccak(name),
                    Eip712.keccak(version),
                    Eip712.word(BigInteger.valueOf(chainId)),
                    Eip712.word(token)));
        }
    }

    /**
     * An EIP-3009 authorization: {@code value} from {@code from} to {@code to}, valid while validAfter &lt; block
     * time &lt; validBefore, once per (from, nonce).
     */
    public record Authorization(
            Address from, Address to, BigInteger value, BigInteger validAfter, BigInteger validBefore, byte[] nonce) {
        public Authorization {
            Eip712.bytes32(nonce);
            nonce = nonce.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }
    }

    public static byte[] permitTypehash() {
        return PERMIT_TYPEHASH.clone();
    }

    public static byte[] transferWithAuthorizationTypehash() {
        return TRANSFER_WITH_AUTHORIZATION_TYPEHASH.clone();
    }

    public static byte[] receiveWithAuthorizationTypehash() {
        return RECEIVE_WITH_AUTHORIZATION_TYPEHASH.clone();
    }

    public static byte[] cancelAuthorizationTypehash() {
        return CANCEL_AUTHORIZATION_TYPEHASH.clone();
    }

    /** The digest {@code owner} signs to let {@code spender} take {@code value}, at the owner's current nonce. */
    public static byte[] permitDigest(
            Domain domain, Address owner, Address spender, BigInteger value, BigInteger nonce, BigInteger deadline) {
        return Eip712.typedData(
                domain.separator(),
                Keccak256.hash(Eip712.concat(
                        PERMIT_TYPEHASH,
                        Eip712.word(owner),
                        Eip712.word(spender),
                        Eip712.word(value),
                        Eip712.word(nonce),
                        Eip712.word(deadline))));
    }

    /** The digest of a {@code transferWithAuthorization} (anyone may submit it). */
    public static byte[] transferWithAuthorizationDigest(Domain domain, Authorization authorization) {
        return authorizationDigest(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, domain, authorization);
    }

    /** The digest of a {@code receiveWithAuthorization} (only its payee may submit it). */
    public static byte[] receiveWithAuthorizationDigest(Domain domain, Authorization authorization) {
        return authorizationDigest(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, domain, authorization);
    }

    /** The digest {@code authorizer} signs to cancel its unused authorization {@code nonce}. */
    public static byte[] cancelAuthorizationDigest(Domain domain, Address authorizer, byte[] nonce) {
        return Eip712.typedData(
                domain.separator(),
                Keccak256.hash(
                        Eip712.concat(CANCEL_AUTHORIZATION_TYPEHASH, Eip712.word(authorizer), Eip712.bytes32(nonce))));
    }

    private static byte[] authorizationDigest(byte[] typehash, Domain domain, Authorization a) {
        return Eip712.typedData(
                domain.separator(),
                Keccak256.hash(Eip712.concat(
                        typehash,
                        Eip712.word(a.from()),
                        Eip712.word(a.to()),
                        Eip712.word(a.value()),
                        Eip712.word(a.validAfter()),
                        Eip712.word(a.validBefore()),
                        Eip712.bytes32(a.nonce))));
    }
}
