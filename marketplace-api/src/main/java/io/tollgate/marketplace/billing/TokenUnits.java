package io.tollgate.marketplace.billing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The symbol and decimals of the tokens billing figures are in, as the listings priced in them recorded them (read
 * from the token's contract when the listing's token was set). A token no listing names any more is shown in its
 * smallest unit (0 decimals) under the first ten characters of its address, so its figures stay exact.
 */
@Component
class TokenUnits {
    private final JdbcTemplate jdbc;

    TokenUnits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every token a listing is priced in, by address, ether first. */
    Map<String, Token> known() {
        Map<String, Token> tokens = new LinkedHashMap<>();
        tokens.put(Token.ETHER_ADDRESS, Token.ETHER);
        jdbc.query("""
                select distinct on (token_address) token_address, token_symbol, token_decimals from listing
                where token_address is not null and token_symbol is not null order by token_address, id""", rs -> {
            tokens.put(rs.getString(1), new Token(rs.getString(1), rs.getString(2), rs.getInt(3)));
        });
        return tokens;
    }

    /** The token at {@code address} (lower case; the zero address for ether). */
    static Token of(Map<String, Token> known, String address) {
        Token token = known.get(address);
        return token != null ? token : new Token(address, address.substring(0, 10), 0);
    }

    /**
     * The tokens a person may mean by {@code addressOrSymbol}: its address, or its symbol (any case) as a listing
     * shows it, or "ETH"/"ether"; none when no listing is priced in it, more than one when two tokens share a symbol.
     */
    List<Token> matching(String addressOrSymbol) {
        String wanted = addressOrSymbol.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("ether")) {
            return List.of(Token.ETHER);
        }
        var tokens = known().values();
        var byAddress = tokens.stream().filter(t -> t.address().equals(wanted)).toList();
        return !byAddress.isEmpty()
                ? byAddress
                : tokens.stream()
                        .filter(t -> t.symbol().toLowerCase(Locale.ROOT).equals(wanted))
                        .toList();
    }
}
