package io.tollgate.marketplace.billing;

import java.util.Map;

/**
 * A statement as CSV (RFC 4180): one line per figure, {@code section,listing,category,name,start,requests,value_wei} (for a channel line:
 * the counterparty, the channel, its state and what was redeemed from it),
 * so a spreadsheet can sum the value column exactly (integers of wei, no decimals, no exponent).
 */
final class StatementCsv {
    private static final String SPECIAL = ",;\t|\"\r\n";

    private StatementCsv() {}

    static String write(Statements.Statement s) {
        var out = new StringBuilder("section,listing,category,name,start,requests,value_wei\r\n");
        line(
                out,
                "period",
                "",
                "",
                s.role().name().toLowerCase(java.util.Locale.ROOT) + " " + s.address(),
                s.from() + "/" + s.to(),
                "",
                "");
        for (Map.Entry<String, String> e : s.chain().entrySet()) {
            line(out, "chain", "", "", e.getKey(), "", "", e.getValue());
        }
        line(out, "usage", "", "", "total", "", Long.toString(s.requests()), s.usageWei());
        line(out, "exposure", "", "", "pending", "", "", s.pendingExposureWei());
        for (Statements.CategoryLine c : s.byCategory()) {
            line(
                    out,
                    "category",
                    c.listing(),
                    Integer.toString(c.category()),
                    c.name(),
                    "",
                    Long.toString(c.requests()),
                    c.valueWei());
        }
        for (Statements.Point p : s.series()) {
            line(
                    out,
                    "series",
                    "",
                    "",
                    s.granularity().name().toLowerCase(java.util.Locale.ROOT),
                    p.start().toString(),
                    Long.toString(p.requests()),
                    p.valueWei());
        }
        for (Statements.Channel c : s.channels()) {
            line(
                    out,
                    "channel",
                    c.counterparty() == null ? "" : c.counterparty(),
                    "",
                    c.channel(),
                    c.state(),
                    "",
                    c.redeemedWei());
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(fields[i]));
        }
        out.append("\r\n");
    }

    private static String quote(String raw) {
        // a provider names categories and listings: never let a spreadsheet read them as a formula
        String field = !raw.isEmpty() && "=+-@\t\r".indexOf(raw.charAt(0)) >= 0 ? "'" + raw : raw;
        // quoted whenever it holds a character some spreadsheet splits on: RFC 4180's comma, quote, CR and LF,
        // and the semicolon, tab and pipe that locales and import dialogs take as the separator
        if (field.chars().noneMatch(c -> SPECIAL.indexOf(c) >= 0)) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
