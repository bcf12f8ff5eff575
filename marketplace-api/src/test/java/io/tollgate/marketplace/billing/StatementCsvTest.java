package io.tollgate.marketplace.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A provider names its listings and categories: whatever it writes there stays one field of the export, whichever
 * separator the spreadsheet that opens it splits on (comma, semicolon in most European locales, tab, pipe).
 */
class StatementCsvTest {

    static Statements.Statement statementWithCategoryNamed(String name) {
        return new Statements.Statement(
                "0x00000000000000000000000000000000000000aa",
                Statements.Role.CONSUMER,
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-02T00:00:00Z"),
                Statements.Granularity.DAY,
                1,
                List.of(total(Token.ETHER, 1, 7)),
                List.of(),
                List.of(new Statements.CategoryLine("weather", 0, name, Token.ETHER, 1, Token.ETHER.amount(SEVEN))),
                List.of());
    }

    static final BigInteger SEVEN = BigInteger.valueOf(7);

    /** What follows the requests column of an ether line of 7 wei. */
    static final String SEVEN_WEI = "7,ETH," + Token.ETHER_ADDRESS + ",0.000000000000000007";

    static Statements.Total total(Token token, long requests, long usage) {
        Map<String, Token.Amount> chain = new LinkedHashMap<>();
        for (String line : List.of("deposited", "redeemed", "withdrawn", "penalties", "refunded", "collateral")) {
            chain.put(line, token.amount(BigInteger.ZERO));
        }
        return new Statements.Total(
                token, requests, token.amount(BigInteger.valueOf(usage)), token.amount(BigInteger.ZERO), chain);
    }

    static String categoryLine(String csv) {
        return csv.lines().filter(l -> l.startsWith("category,")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a;b", "a,b", "a\tb", "a|b", "a\"b", "a\rb", "a\nb"})
    void aFieldHoldingASeparatorIsQuoted(String name) {
        String csv = StatementCsv.write(statementWithCategoryNamed(name));
        String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
        assertThat(csv).contains("category,weather,0," + quoted + ",,1," + SEVEN_WEI + "\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"current", "forecast-daily", "0x00000000000000000000000000000000000000aa"})
    void plainFieldsStayBare(String name) {
        assertThat(categoryLine(StatementCsv.write(statementWithCategoryNamed(name))))
                .isEqualTo("category,weather,0," + name + ",,1," + SEVEN_WEI);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@SUM(A1)"})
    void formulasAreDefusedAsBefore(String name) {
        assertThat(categoryLine(StatementCsv.write(statementWithCategoryNamed(name))))
                .isEqualTo("category,weather,0,'" + name + ",,1," + SEVEN_WEI);
    }

    @Test
    void eachTokenHasItsOwnLinesInItsUnitsExactlyAndTheHeaderKeepsItsColumns() {
        Token usd = new Token("0x5fbdb2315678afecb367f032d93f642f64180aa3", "USDT-demo", 6);
        var statement = new Statements.Statement(
                "0x00000000000000000000000000000000000000aa",
                Statements.Role.CONSUMER,
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-02T00:00:00Z"),
                Statements.Granularity.DAY,
                4,
                List.of(total(Token.ETHER, 1, 7), total(usd, 3, 3000)),
                List.of(),
                List.of(
                        new Statements.CategoryLine("weather", 0, "current", Token.ETHER, 1, Token.ETHER.amount(SEVEN)),
                        new Statements.CategoryLine(
                                "dollars", 0, "call", usd, 3, usd.amount(BigInteger.valueOf(3000)))),
                List.of(new Statements.Point(
                        Instant.parse("2026-12-01T00:00:00Z"), usd, 3, usd.amount(BigInteger.valueOf(3000)))));

        List<String> lines = StatementCsv.write(statement).lines().toList();

        assertThat(lines.getFirst())
                .isEqualTo("section,listing,category,name,start,requests,value_wei,token,token_address,value");
        String dollars = ",USDT-demo," + usd.address() + ",0.003";
        assertThat(lines)
                .containsSubsequence(
                        "usage,,,total,,1," + SEVEN_WEI,
                        "category,weather,0,current,,1," + SEVEN_WEI,
                        "chain,,,deposited,,,0,USDT-demo," + usd.address() + ",0",
                        "usage,,,total,,3,3000" + dollars,
                        "category,dollars,0,call,,3,3000" + dollars,
                        "series,,,day,2026-12-01T00:00:00Z,3,3000" + dollars)
                .noneMatch(l -> l.contains("3007"));
    }
}
