package io.tollgate.marketplace.identity;

import io.tollgate.marketplace.catalogue.ProviderRepository;
import io.tollgate.protocol.Signatures;
import io.tollgate.settings.ChainProperties;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** Issues nonces and turns a signed EIP-4361 message into a short-lived token. */
@Service
public class SignIn {
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final JdbcTemplate jdbc;
    private final JwtEncoder tokens;
    private final ProviderRepository providers;
    private final IdentityProperties properties;
    private final long chainId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    SignIn(
            JdbcTemplate jdbc,
            JwtEncoder tokens,
            ProviderRepository providers,
            IdentityProperties properties,
            ChainProperties chain,
            Clock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.providers = providers;
        this.properties = properties;
        this.chainId = chain.chainId();
        this.clock = clock;
    }

    public record Nonce(String nonce, Instant expiresAt) {}

    /** What a sign-in gives: a bearer token for the address, with its roles. */
    public sealed interface Outcome {
        record SignedIn(String token, String address, List<String> roles, Instant expiresAt) implements Outcome {}

        record Refused(String reason) implements Outcome {}
    }

    public Nonce nonce() {
        char[] chars = new char[24];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        Instant expiresAt = clock.instant().plus(properties.nonceTtl());
        String nonce = new String(chars);
        jdbc.update("insert into sign_in_nonce (nonce, expires_at) values (?, ?)", nonce, Timestamp.from(expiresAt));
        return new Nonce(nonce, expiresAt);
    }

    /**
     * Checks the message against this marketplace's configured domain, URI and chain (never against anything the
     * request says about itself), its times, its signature, and consumes its nonce.
     */
    public Outcome signIn(String text, String signature) {
        var parsed = SiweMessage.parse(text);
        if (parsed instanceof SiweMessage.Parsed.Malformed malformed) {
            return new Outcome.Refused(malformed.reason());
        }
        SiweMessage message = ((SiweMessage.Parsed.Message) parsed).message();
        if (!message.domain().equalsIgnoreCase(properties.domain())) {
            return new Outcome.Refused("the message is for '" + message.domain() + "', this is '" + properties.domain()
                    + "': sign in at " + properties.uri());
        }
        String scheme = java.net.URI.create(properties.uri()).getScheme();
        if (message.scheme().map(s -> !s.equalsIgnoreCase(scheme)).orElse(false)) {
            return new Outcome.Refused("the message is for " + message.scheme().get() + "://" + message.domain()
                    + ", this is " + scheme + "://" + properties.domain());
        }
        if (!message.uri().equals(properties.uri())) {
            return new Outcome.Refused(
                    "the message's URI is '" + message.uri() + "', this marketplace's is '" + properties.uri() + "'");
        }
        if (message.chainId() != chainId) {
            return new Outcome.Refused(
                    "the message is for chain " + message.chainId() + ", this marketplace's chain is " + chainId);
        }
        Instant now = clock.instant();
        if (message.expirationTime().map(t -> !now.isBefore(t)).orElse(false)) {
            return new Outcome.Refused(
                    "the message expired at " + message.expirationTime().get());
        }
        if (message.notBefore().map(now::isBefore).orElse(false)) {
            return new Outcome.Refused(
                    "the message is not valid before " + message.notBefore().get());
        }
        String recovered = recover(text, signature);
        if (!message.address().equals(recovered)) {
            return new Outcome.Refused("the signature is not by " + message.address());
        }
        // check and consume the nonce in one statement: a replay finds it used
        int consumed = jdbc.update(
                "update sign_in_nonce set used_at = ? where nonce = ? and used_at is null and expires_at > ?",
                Timestamp.from(now),
                message.nonce(),
                Timestamp.from(now));
        if (consumed != 1) {
            return new Outcome.Refused("the nonce is unknown, expired or already used: ask for a new one");
        }
        List<String> roles = roles(message.address());
        Instant expiresAt = now.plus(properties.tokenTtl());
        var claims = JwtClaimsSet.builder()
                .issuer(IdentityProperties.ISSUER)
                .subject(message.address())
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("roles", roles)
                .build();
        String token = tokens.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return new Outcome.SignedIn(token, message.address(), roles, expiresAt);
    }

    private List<String> roles(String address) {
        List<String> roles = new ArrayList<>(List.of("consumer"));
        if (providers.existsByPayoutAddress(address)) {
            roles.add("provider");
        }
        if (properties.operators().stream().anyMatch(o -> o.equalsIgnoreCase(address))) {
            roles.add("operator");
        }
        return roles;
    }

    /** EIP-191 personal-sign recovery; low-s only; empty string when the signature is unusable. */
    private static String recover(String text, String signatureHex) {
        byte[] signature;
        try {
            signature = Numeric.hexStringToByteArray(signatureHex);
        } catch (RuntimeException e) {
            return "";
        }
        if (signature.length != 65) {
            return "";
        }
        byte v = signature[64];
        if (v < 27) {
            v += 27;
        }
        byte[] s = Arrays.copyOfRange(signature, 32, 64);
        if (!Signatures.isLowS(new BigInteger(1, s)) || (v != 27 && v != 28)) {
            return "";
        }
        try {
            BigInteger key = Sign.signedPrefixedMessageToKey(
                    text.getBytes(StandardCharsets.UTF_8),
                    new Sign.SignatureData(v, Arrays.copyOfRange(signature, 0, 32), s));
            return "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
        } catch (java.security.SignatureException | RuntimeException e) {
            return "";
        }
    }
}
