package io.tollgate.marketplace.billing;

import io.tollgate.marketplace.billing.Token.Amount;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A consumer's budgets on its spend per UTC day or month, one per token (ether, or an ERC-20 its channels pay in),
 * and the alert raised once per period and token when the gateway has charged its channels more in that token than
 * the token's budget: an ether budget never counts what was spent in a USD token. {@link #checkAll} runs on a timer
 * ({@link BudgetWatch}) and whenever the consumer asks for its alerts; raising the same period's alert twice changes
 * nothing.
 */
@Service
public class Budgets {
    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    public enum Period {
        DAY,
        MONTH
    }

    public record Budget(Token token, Period period, Amount amount) {}

    public record Alert(
            Token token, Instant periodStart, Period period, Amount budget, Amount spent, Instant raisedAt) {}

    private final JdbcTemplate jdbc;
    private final Statements statements;
    private final TokenUnits tokenUnits;
    private final Clock clock;

    Budgets(JdbcTemplate jdbc, Statements statements, TokenUnits tokenUnits, Clock clock) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.tokenUnits = tokenUnits;
        this.clock = clock;
    }

    /** Sets {@code consumer}'s budget in {@code token} to {@code units} of its smallest unit per {@code period}. */
    @Transactional
    public Budget set(String consumer, Token token, Period period, BigInteger units) {
        jdbc.update("""
                insert into consumer_budget (consumer_address, token_address, period, amount_units) values (?, ?, ?, ?)
                on conflict (consumer_address, token_address) do update set period = excluded.period,
                    amount_units = excluded.amount_units, updated_at = now()""", consumer, token.address(), period.name(), new BigDecimal(units));
        return new Budget(token, period, token.amount(units));
    }

    /** {@code consumer}'s budgets, ether's first, then by token address. */
    @Transactional(readOnly = true)
    public List<Budget> of(String consumer) {
        Map<String, Token> known = tokenUnits.known();
        return jdbc.query(
                """
                select token_address, period, amount_units from consumer_budget where consumer_address = ?
                order by token_address""",
                (rs, n) -> {
                    Token token = TokenUnits.of(known, rs.getString(1));
                    return new Budget(
                            token,
                            Period.valueOf(rs.getString(2)),
                            token.amount(rs.getBigDecimal(3).toBigInteger()));
                },
                consumer);
    }

    /** {@code consumer}'s budget in the token at {@code tokenAddress}. */
    @Transactional(readOnly = true)
    public Optional<Budget> of(String consumer, String tokenAddress) {
        return of(consumer).stream()
                .filter(b -> b.token().address().equals(tokenAddress))
                .findFirst();
    }

    @Transactional
    public List<Alert> alerts(String consumer) {
        check(consumer);
        Map<String, Token> known = tokenUnits.known();
        return jdbc.query(
                """
                select token_address, period_start, period, budget_units, spent_units, raised_at from budget_alert
                where consumer_address = ? order by period_start desc, token_address""",
                (rs, n) -> {
                    Token token = TokenUnits.of(known, rs.getString(1));
                    return new Alert(
                            token,
                            rs.getTimestamp(2).toInstant(),
                            Period.valueOf(rs.getString(3)),
                            token.amount(rs.getBigDecimal(4).toBigInteger()),
                            token.amount(rs.getBigDecimal(5).toBigInteger()),
                            rs.getTimestamp(6).toInstant());
                },
                consumer);
    }

    /** Raises this period's alert for every consumer and token over budget; returns how many were new. */
    @Transactional
    public int checkAll() {
        int raised = 0;
        for (String consumer :
                jdbc.queryForList("select distinct consumer_address from consumer_budget", String.class)) {
            raised += check(consumer);
        }
        return raised;
    }

    private int check(String consumer) {
        int raised = 0;
        for (Budget budget : of(consumer)) {
            raised += check(consumer, budget);
        }
        return raised;
    }

    /** Compares the spend in the budget's token, and only in it, with the budget. */
    private int check(String consumer, Budget budget) {
        Instant start = periodStart(budget.period());
        BigInteger limit = budget.amount().value();
        BigInteger spent = statements.spentSince(consumer, budget.token().address(), start);
        if (spent.compareTo(limit) <= 0) {
            return 0;
        }
        int raised = jdbc.update(
                """
                insert into budget_alert (consumer_address, token_address, period_start, period, budget_units, spent_units)
                values (?, ?, ?, ?, ?, ?) on conflict do nothing""",
                consumer,
                budget.token().address(),
                Timestamp.from(start),
                budget.period().name(),
                new BigDecimal(limit),
                new BigDecimal(spent));
        if (raised > 0) {
            var unit = budget.token().unit();
            log.warn(
                    "budget alert: {} spent {} this {}, over its budget of {}",
                    consumer,
                    unit.describe(spent),
                    budget.period().name().toLowerCase(Locale.ROOT),
                    unit.describe(limit));
        }
        return raised;
    }

    private Instant periodStart(Period period) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate first = period == Period.DAY ? today : today.withDayOfMonth(1);
        return first.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
