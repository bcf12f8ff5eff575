package io.tollgate.marketplace.subscription;

import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.Eip712;
import io.tollgate.protocol.Signatures;
import io.tollgate.protocol.TokenAuthorizations;
import io.tollgate.settings.ChainProperties;
import java.math.BigInteger;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.utils.Numeric;

/**
 * EIP-2612 permits naming the factory as spender, for its permit entry points: the typed data a wallet signs (the
 * token's own domain as the token reports it, the holder's current nonce, a deadline an hour from the injected
 * clock) and the check of what the wallet signed before the marketplace hands out the transaction that spends it
 * (the factory tolerates a permit that does not apply when an allowance covers the amount, so a bad permit would
 * only show as a reverted transaction).
 */
@Component
class FactoryPermits {
    /** How long a permit the marketplace asks for stays valid. */
    static final Duration VALIDITY = Duration.ofHours(1);

    private final Web3j web3j;
    private final ChainProperties chain;
    private final Clock clock;

    FactoryPermits(Web3j web3j, ChainProperties chain, Clock clock) {
        this.web3j = web3j;
        this.chain = chain;
        this.clock = clock;
    }

    /** The factory new channels are created through (and funded with permits through), lower-case. */
    String factory() {
        return chain.newChannelFactory()
                .filter(factory -> !factory.isBlank())
                .map(factory -> factory.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.CONFLICT,
                        "this marketplace has no factory configured (tollgate.chain.factories): subscriptions are off",
                        Map.of()));
    }

    /** What the wallet signed, as the page posts it: the permit's value and deadline and the 65-byte signature. */
    record Signed(String value, String deadline, String signature) {}

    /** The token's EIP-712 domain if it takes permits; empty for a plain ERC-20 (approve, then fund). */
    Optional<TokenAuthorizations.Domain> domain(String token, String owner) {
        return TokenPermits.permitDomain(web3j, token, owner);
    }

    /** The typed data {@code owner} signs to let {@code spender} take {@code value} of the domain's token. */
    Map<String, Object> typedData(TokenAuthorizations.Domain domain, String owner, String spender, BigInteger value) {
        BigInteger nonce = TokenPermits.nonce(web3j, domain.token().value(), owner);
        Instant deadline = clock.instant().plus(VALIDITY);
        Map<String, Object> domainFields = new LinkedHashMap<>();
        domainFields.put("name", domain.name());
        domainFields.put("version", domain.version());
        domainFields.put("chainId", domain.chainId());
        domainFields.put("verifyingContract", domain.token().value());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("owner", owner.toLowerCase(Locale.ROOT));
        message.put("spender", spender.toLowerCase(Locale.ROOT));
        message.put("value", value.toString());
        message.put("nonce", nonce.toString());
        message.put("deadline", Long.toString(deadline.getEpochSecond()));
        return Eip712.typedData(TokenAuthorizations.PERMIT_TYPE, domainFields, message);
    }

    /**
     * The permit {@code owner}'s wallet signed for {@code expected} of {@code token} to {@code spender}, checked as
     * the token would check it (at the owner's current nonce); refused ({@code permit-refused}) when it is for
     * another amount, past its deadline, not canonical, or signed by another key.
     */
    TokenPermits.Permit verify(
            String token, String owner, String spender, BigInteger expected, TokenUnit unit, Signed signed) {
        BigInteger value = number(signed.value(), "value");
        BigInteger deadline = number(signed.deadline(), "deadline");
        if (!value.equals(expected)) {
            throw refused("the permit is for " + unit.describe(value) + ", not the " + unit.describe(expected)
                    + " to be deposited: sign a permit for exactly that amount");
        }
        long now = clock.instant().getEpochSecond();
        if (deadline.compareTo(BigInteger.valueOf(now)) <= 0) {
            throw refused("the permit expired at " + Instant.ofEpochSecond(deadline.longValueExact()) + " (now "
                    + Instant.ofEpochSecond(now) + "): sign a new one");
        }
        if (signed.signature() == null || !signed.signature().matches("0x[0-9a-fA-F]{130}")) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "a permit signature is 65 bytes r‖s‖v as 0x and 130 hex digits (what eth_signTypedData_v4 answers)",
                    Map.of());
        }
        byte[] signature = Numeric.hexStringToByteArray(signed.signature());
        var domain = domain(token, owner)
                .orElseThrow(() -> refused("the token " + token + " takes no EIP-2612 permits: approve, then fund"));
        BigInteger nonce = TokenPermits.nonce(web3j, token, owner);
        var permit = TokenPermits.of(token, owner, spender, value, nonce, deadline, signature);
        if ((permit.v() != 27 && permit.v() != 28) || !Signatures.isLowS(new BigInteger(1, permit.s()))) {
            throw refused("the permit is not a canonical signature (v 27 or 28, s in the lower half): the token"
                    + " would refuse it");
        }
        byte[] digest = TokenAuthorizations.permitDigest(
                domain, Address.of(owner), Address.of(spender), value, nonce, deadline);
        String signer = recover(digest, permit);
        if (!signer.equalsIgnoreCase(owner)) {
            throw refused("the permit is signed by " + signer + ", not by your wallet " + owner.toLowerCase(Locale.ROOT)
                    + " (another key, or another nonce, spender or token than the marketplace asked for)");
        }
        return permit;
    }

    private static String recover(byte[] digest, TokenPermits.Permit permit) {
        try {
            BigInteger key = Sign.signedMessageHashToKey(
                    digest, new Sign.SignatureData((byte) permit.v(), permit.r(), permit.s()));
            return "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
        } catch (SignatureException | IllegalArgumentException e) {
            throw refused("no signer can be recovered from the permit's signature");
        }
    }

    private static BigInteger number(String text, String what) {
        if (text == null || !text.matches("0|[1-9][0-9]{0,77}")) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "the permit's " + what + " is a decimal integer (what the typed data's message says)",
                    Map.of());
        }
        return new BigInteger(text);
    }

    static ApiProblem refused(String why) {
        return new ApiProblem(ProblemType.PERMIT_REFUSED, why, Map.of());
    }
}
