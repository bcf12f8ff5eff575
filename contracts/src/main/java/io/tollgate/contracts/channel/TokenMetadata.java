package io.tollgate.contracts.channel;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

/**
 * What an ERC-20 says about itself: {@code symbol()} and {@code decimals()}, read with two {@code eth_call}s and
 * decoded by hand, so that an address that is not a token (no code, a contract without these functions, answers
 * that are not an ABI string or a uint8) is told apart from a token, with a sentence saying what was found. A
 * {@code bytes32} symbol (as some early tokens return) is accepted; decimals above {@value #MAX_DECIMALS} are
 * refused (amounts in such units are not written by people).
 */
public final class TokenMetadata {
    /** The most decimals a listing's token may have (the listing table's check). */
    public static final int MAX_DECIMALS = 36;

    /** The longest symbol kept (the listing table's check). */
    public static final int MAX_SYMBOL = 32;

    private static final String SYMBOL = "0x95d89b41";
    private static final String DECIMALS = "0x313ce567";

    private TokenMetadata() {}

    /** An ERC-20's lower-case address, symbol and decimals. */
    public record Token(String address, String symbol, int decimals) {}

    /** The address is not an ERC-20 this marketplace can price in; the message says what was found. */
    public static final class NotAToken extends RuntimeException {
        NotAToken(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code address}'s symbol and decimals at the latest block.
     *
     * @throws NotAToken when the address holds no token (the message says what it holds)
     * @throws UncheckedIOException when the node does not answer
     */
    public static Token read(Web3j web3j, String address) {
        String token = address.toLowerCase(Locale.ROOT);
        String code = NodeReads.read(() -> web3j.ethGetCode(token, DefaultBlockParameterName.LATEST)
                        .send())
                .getCode();
        if (code == null || Numeric.hexStringToByteArray(code).length == 0) {
            throw new NotAToken(token + " has no contract code (an account, or nothing deployed there yet)");
        }
        byte[] decimalsAnswer = call(web3j, token, DECIMALS, "decimals()");
        if (decimalsAnswer.length != 32) {
            throw new NotAToken(token + "'s decimals() answered " + decimalsAnswer.length
                    + " bytes, not one 32-byte uint8: not an ERC-20");
        }
        BigInteger decimals = new BigInteger(1, decimalsAnswer);
        if (decimals.bitLength() > 8) {
            throw new NotAToken(token + "'s decimals() answered " + decimals + ", not a uint8: not an ERC-20");
        }
        if (decimals.intValue() > MAX_DECIMALS) {
            throw new NotAToken(token + " has " + decimals + " decimals; at most " + MAX_DECIMALS + " are accepted");
        }
        String symbol = symbol(token, call(web3j, token, SYMBOL, "symbol()"));
        return new Token(token, symbol, decimals.intValue());
    }

    private static byte[] call(Web3j web3j, String token, String selector, String function) {
        var answer = NodeReads.read(() -> web3j.ethCall(
                        Transaction.createEthCallTransaction(null, token, selector), DefaultBlockParameterName.LATEST)
                .send());
        if (answer.hasError() || answer.isReverted()) {
            String reason = answer.hasError() ? answer.getError().getMessage() : answer.getRevertReason();
            throw new NotAToken(token + "'s " + function + " reverted (" + reason + "): not an ERC-20");
        }
        String value = answer.getValue();
        return value == null ? new byte[0] : Numeric.hexStringToByteArray(value);
    }

    /** An ABI-encoded string, or a bytes32 padded with zeros; printable, 1 to {@value #MAX_SYMBOL} characters. */
    private static String symbol(String token, byte[] answer) {
        byte[] raw;
        if (answer.length == 32) {
            int end = 0;
            while (end < 32 && answer[end] != 0) {
                end++;
            }
            raw = Arrays.copyOf(answer, end);
        } else if (answer.length >= 64) {
            BigInteger offset = new BigInteger(1, Arrays.copyOfRange(answer, 0, 32));
            if (offset.compareTo(BigInteger.valueOf(answer.length - 32)) > 0) {
                throw garbage(token, answer.length);
            }
            int at = offset.intValueExact();
            BigInteger length = new BigInteger(1, Arrays.copyOfRange(answer, at, at + 32));
            if (length.compareTo(BigInteger.valueOf(answer.length - at - 32)) > 0) {
                throw garbage(token, answer.length);
            }
            raw = Arrays.copyOfRange(answer, at + 32, at + 32 + length.intValueExact());
        } else {
            throw garbage(token, answer.length);
        }
        String symbol;
        try {
            symbol = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString()
                    .strip();
        } catch (CharacterCodingException e) {
            throw new NotAToken(token + "'s symbol() is not UTF-8 text: not an ERC-20 this marketplace can name");
        }
        if (symbol.isEmpty()
                || symbol.length() > MAX_SYMBOL
                || symbol.codePoints().anyMatch(c -> Character.isISOControl(c))) {
            throw new NotAToken(token + "'s symbol() is '" + symbol.replaceAll("\\p{Cntrl}", "?") + "': 1 to "
                    + MAX_SYMBOL + " printable characters are needed");
        }
        return symbol;
    }

    private static NotAToken garbage(String token, int bytes) {
        return new NotAToken(
                token + "'s symbol() answered " + bytes + " bytes that are not an ABI string: not an ERC-20");
    }
}
