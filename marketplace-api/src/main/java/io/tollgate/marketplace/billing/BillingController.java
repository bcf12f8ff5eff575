package io.tollgate.marketplace.billing;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.protocol.Address;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Statements (JSON or CSV), budgets and budget alerts. A caller reads its own statements only (as consumer:
 * its channels; as provider: the channels paying its payout address); an operator may name any address.
 */
@RestController
@RequestMapping("/api/billing")
class BillingController {
    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,78}");
    private static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    private static final MediaType CSV = MediaType.parseMediaType("text/csv");

    private final Statements statements;
    private final Budgets budgets;
    private final JdbcTemplate jdbc;
    private final TokenUnits tokenUnits;
    private final Clock clock;

    BillingController(Statements statements, Budgets budgets, TokenUnits tokenUnits, JdbcTemplate jdbc, Clock clock) {
        this.statements = statements;
        this.budgets = budgets;
        this.tokenUnits = tokenUnits;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * The statement of a period, {@code [from, to)} as ISO-8601 instants or dates (UTC); default: this month so
     * far (to an hour from now, so blocks stamped ahead of this server's clock count). {@code granularity} of the spend series: hour (periods up to 31 days) or day. CSV with
     * {@code format=csv} or {@code Accept: text/csv}.
     */
    @GetMapping("/statement")
    ResponseEntity<?> statement(
            @RequestParam(defaultValue = "consumer") String role,
            @RequestParam(required = false) String address,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "day") String granularity,
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @AuthenticationPrincipal Jwt caller) {
        Statements.Role asRole = choice(Statements.Role.class, "role", role);
        Statements.Granularity grain = choice(Statements.Granularity.class, "granularity", granularity);
        String subject = caller.getSubject().toLowerCase(Locale.ROOT);
        String whose = address == null ? subject : address(address);
        if (!whose.equals(subject) && !isOperator(caller)) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    "you may read your own statements only (" + subject + "), not " + whose,
                    Map.of("address", whose));
        }
        if (asRole == Statements.Role.PROVIDER && !isOperator(caller) && !isProvider(whose)) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    whose + " is not a provider's payout address: register a provider first (POST /api/providers)",
                    Map.of("address", whose));
        }
        Instant now = clock.instant();
        Instant start = from == null
                ? LocalDate.ofInstant(now, ZoneOffset.UTC)
                        .withDayOfMonth(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                : instant("from", from);
        // "so far" includes blocks a node stamped a little ahead of this server's clock
        Instant end = to == null ? now.plus(Duration.ofHours(1)) : instant("to", to);
        if (!start.isBefore(end)) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST, "from (" + start + ") must be before to (" + end + ")", Map.of());
        }
        Duration span = Duration.between(start, end);
        if (span.compareTo(Duration.ofDays(366)) > 0
                || (grain == Statements.Granularity.HOUR && span.compareTo(Duration.ofDays(31)) > 0)) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "a statement covers at most 366 days, and at most 31 days by hour; this one covers " + span.toDays()
                            + " days",
                    Map.of());
        }
        var statement = statements.statement(whose, asRole, start, end, grain);
        boolean csv = "csv".equalsIgnoreCase(format) || (accept != null && accept.contains("text/csv"));
        if (!csv) {
            return ResponseEntity.ok(statement);
        }
        String file = "tollgate-" + asRole.name().toLowerCase(Locale.ROOT) + "-" + whose + "-"
                + start.toString().substring(0, 10) + ".csv";
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                .body(StatementCsv.write(statement));
    }

    /** The newest money events of the caller's channels (as consumer or as provider), at most {@code limit}. */
    @GetMapping("/events")
    List<Statements.Event> events(
            @RequestParam(defaultValue = "consumer") String role,
            @RequestParam(defaultValue = "50") int limit,
            @AuthenticationPrincipal Jwt caller) {
        if (limit < 1 || limit > 500) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "limit must be between 1 and 500, not " + limit,
                    Map.of("limit", limit));
        }
        return statements.events(
                caller.getSubject().toLowerCase(Locale.ROOT), choice(Statements.Role.class, "role", role), limit);
    }

    /**
     * A budget: {@code period} DAY or MONTH; {@code token} its address or symbol (default ether); the amount either in
     * whole units ({@code amount}, "0.5") or in the token's smallest unit ({@code units}, "500000"), not both.
     */
    record BudgetCommand(String period, String token, String amount, String units) {}

    @PutMapping("/budget")
    Budgets.Budget setBudget(@RequestBody BudgetCommand command, @AuthenticationPrincipal Jwt caller) {
        if (command == null || command.period() == null || (command.amount() == null) == (command.units() == null)) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "a budget needs period (DAY or MONTH), token (an address or symbol; default ether) and either amount"
                            + " (whole units, such as 0.5) or units (the token's smallest unit, such as 500000000000000000)",
                    Map.of());
        }
        Budgets.Period period = choice(Budgets.Period.class, "period", command.period());
        Token token = token(command.token());
        BigInteger units =
                command.units() != null ? units(command.units(), token) : wholeUnits(command.amount(), token);
        return budgets.set(caller.getSubject().toLowerCase(Locale.ROOT), token, period, units);
    }

    /** The caller's budget in {@code token} (address or symbol; default ether). */
    @GetMapping("/budget")
    Budgets.Budget budget(@RequestParam(required = false) String token, @AuthenticationPrincipal Jwt caller) {
        Token which = token(token);
        return budgets.of(caller.getSubject().toLowerCase(Locale.ROOT), which.address())
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND,
                        "you have no budget in " + which.symbol() + ": PUT /api/billing/budget sets one",
                        Map.of("token", which.address())));
    }

    /** All the caller's budgets, one per token, ether's first. */
    @GetMapping("/budgets")
    List<Budgets.Budget> allBudgets(@AuthenticationPrincipal Jwt caller) {
        return budgets.of(caller.getSubject().toLowerCase(Locale.ROOT));
    }

    @GetMapping("/alerts")
    List<Budgets.Alert> alerts(@AuthenticationPrincipal Jwt caller) {
        return budgets.alerts(caller.getSubject().toLowerCase(Locale.ROOT));
    }

    static boolean isOperator(Jwt caller) {
        List<String> roles = caller.getClaimAsStringList("roles");
        return roles != null && roles.contains("operator");
    }

    private boolean isProvider(String address) {
        Integer n =
                jdbc.queryForObject("select count(*) from provider where payout_address = ?", Integer.class, address);
        return n != null && n > 0;
    }

    static String address(String value) {
        if (!Address.isAddress(value)) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "'" + value + "' is not an address: 0x and 40 hex digits",
                    Map.of("address", value));
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private Token token(String value) {
        if (value == null || value.isBlank()) {
            return Token.ETHER;
        }
        List<Token> matching = tokenUnits.matching(value);
        if (matching.size() == 1) {
            return matching.getFirst();
        }
        throw new ApiProblem(
                ProblemType.INVALID_REQUEST,
                matching.isEmpty()
                        ? "no listing is priced in '" + value
                                + "': name ETH or the address or symbol of a listing's token"
                        : "'" + value + "' is the symbol of " + matching.size() + " tokens: name its address instead",
                Map.of("token", value));
    }

    private static BigInteger units(String value, Token token) {
        if (!AMOUNT.matcher(value).matches() || new BigInteger(value).compareTo(UINT256_MAX) > 0) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "units must be a non-negative decimal integer of at most 2^256-1 of the smallest unit of "
                            + token.symbol() + ", not '" + value + "'",
                    Map.of("units", value));
        }
        return new BigInteger(value);
    }

    private static BigInteger wholeUnits(String value, Token token) {
        try {
            return token.unit().parse(value).value();
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_REQUEST, e.getMessage(), Map.of("amount", value));
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    name + " must be an ISO-8601 date (2026-12-01) or instant (2026-12-01T10:00:00Z), not '" + value
                            + "'",
                    Map.of(name, value));
        }
    }

    static <E extends Enum<E>> E choice(Class<E> type, String name, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    name + " must be one of "
                            + java.util.Arrays.stream(type.getEnumConstants())
                                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                                    .toList()
                            + ", not '" + value + "'",
                    Map.of(name, value));
        }
    }
}
