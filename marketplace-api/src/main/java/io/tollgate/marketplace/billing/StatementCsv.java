package io.tollgate.marketplace.billing;

import java.util.Map;

/**
 * A statement as CSV (RFC 4180): one line per figure, under the header
 * {@code section,listing,category,name,start,requests,value_wei,token,token_address,value}. The first seven columns
 * are as they always were ({@code value_wei} holds the figure as an integer of the token's smallest unit: wei for
 * ether, base units for an ERC-20, no decimals, no exponent, so a spreadsheet sums it exactly); {@code token} is the
 * token's symbol, {@code token_address} its address (the zero address for ether), {@code value} the figure in the
 * token's whole units, exact ("0.003"). After the {@code period} line (no token), one set of lines per token, ether
 * first: its {@code chain} lines (deposited, redeemed, withdrawn, penalties, refunded, collateral), its {@code usage}
 * total and pending {@code exposure}, then its {@code category}, {@code series} and {@code channel} lines (for a
 * channel: the counterparty, the channel, its state and what was redeemed from it). Never add up the value columns
 * of two tokens.
 */
final class StatementCsv {
    static final String HEADER = "section,listing,category,name,start,requests,value_wei,token,token_address,value";
    private static final String SPECIAL = ",;\t|\"\r\n";

    private StatementCsv() {}

    static String write(Statements.Statement s) {
        var out = new StringBuilder(HEADER).append("\r\n");
        line(
                out,
                "period",
                "",
                "",
                s.role().name().toLowerCase(java.util.Locale.ROOT) + " " + s.address(),
                s.from() + "/" + s.to(),
                "",
                "",
                "",
                "",
                "");
        for (Statements.Total total : s.totals()) {
            Token token = total.token();
            for (Map.Entry<String, Token.Amount> e : total.chain().entrySet()) {
                money(out, token, e.getValue(), "chain", "", "", e.getKey(), "", "");
            }
            money(out, token, total.usage(), "usage", "", "", "total", "", Long.toString(total.requests()));
            money(out, token, total.pendingExposure(), "exposure", "", "", "pending", "", "");
            for (Statements.CategoryLine c : s.byCategory()) {
                if (c.token().equals(token)) {
                    money(
                            out,
                            token,
                            c.value(),
                            "category",
                            c.listing(),
                            Integer.toString(c.category()),
                            c.name(),
                            "",
                            Long.toString(c.requests()));
                }
            }
            for (Statements.Point p : s.series()) {
                if (p.token().equals(token)) {
                    money(
                            out,
                            token,
                            p.value(),
                            "series",
                            "",
                            "",
                            s.granularity().name().toLowerCase(java.util.Locale.ROOT),
                            p.start().toString(),
                            Long.toString(p.requests()));
                }
            }
            for (Statements.Channel c : s.channels()) {
                if (c.token().equals(token)) {
                    money(
                            out,
                            token,
                            c.redeemed(),
                            "channel",
                            c.counterparty() == null ? "" : c.counterparty(),
                            "",
                            c.channel(),
                            c.state(),
                            "");
                }
            }
        }
        return out.toString();
    }

    /** A figure's line: the six leading columns, then the amount in base units, the token and the whole units. */
    private static void money(StringBuilder out, Token token, Token.Amount amount, String... leading) {
        String[] fields = java.util.Arrays.copyOf(leading, leading.length + 4);
        fields[leading.length] = amount.units();
        fields[leading.length + 1] = token.symbol();
        fields[leading.length + 2] = token.address();
        fields[leading.length + 3] = amount.amount();
        line(out, fields);
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
