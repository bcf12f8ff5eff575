package io.tollgate.marketplace.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
                List.of(),
                Map.of(),
                1,
                "7",
                "0",
                List.of(new Statements.CategoryLine("weather", 0, name, 1, "7")),
                List.of());
    }

    static String categoryLine(String csv) {
        return csv.lines().filter(l -> l.startsWith("category,")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a;b", "a,b", "a\tb", "a|b", "a\"b", "a\rb", "a\nb"})
    void aFieldHoldingASeparatorIsQuoted(String name) {
        String csv = StatementCsv.write(statementWithCategoryNamed(name));
        String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
        assertThat(csv).contains("category,weather,0," + quoted + ",,1,7\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"current", "forecast-daily", "0x00000000000000000000000000000000000000aa"})
    void plainFieldsStayBare(String name) {
        assertThat(categoryLine(StatementCsv.write(statementWithCategoryNamed(name))))
                .isEqualTo("category,weather,0," + name + ",,1,7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@SUM(A1)"})
    void formulasAreDefusedAsBefore(String name) {
        assertThat(categoryLine(StatementCsv.write(statementWithCategoryNamed(name))))
                .isEqualTo("category,weather,0,'" + name + ",,1,7");
    }
}
