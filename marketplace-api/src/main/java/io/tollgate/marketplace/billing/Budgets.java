package io.tollgate.marketplace.billing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A consumer's budget on its spend per UTC day or month, and the alert raised once per period when the gateway
 * has charged its channels more than the budget. {@link #checkAll} runs on a timer ({@link BudgetWatch}) and
 * whenever the consumer asks for its alerts; raising the same period's alert twice changes nothing.
 */
@Service
public class Budgets {
    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    public enum Period {
        DAY,
        MONTH
    }

    public record Budget(Period period, String amountWei) {}

    public record Alert(Instant periodStart, Period period, String budgetWei, String spentWei, Instant raisedAt) {}

    private final JdbcTemplate jdbc;
    private final Statements statements;
    private final Clock clock;

    Budgets(JdbcTemplate jdbc, Statements statements, Clock clock) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.clock = clock;
    }

    @Transactional
    public Budget set(String consumer, Period period, BigInteger amount) {
        jdbc.update("""
                insert into consumer_budget (consumer_address, period, amount_wei) values (?, ?, ?)
                on conflict (consumer_address) do update set period = excluded.period, amount_wei = excluded.amount_wei,
                    updated_at = now()""", consumer, period.name(), new BigDecimal(amount));
        return new Budget(period, amount.toString());
    }

    @Transactional(readOnly = true)
    public Optional<Budget> of(String consumer) {
        return jdbc
                .query(
                        "select period, amount_wei from consumer_budget where consumer_address = ?",
                        (rs, n) -> new Budget(
                                Period.valueOf(rs.getString(1)),
                                rs.getBigDecimal(2).toBigInteger().toString()),
                        consumer)
                .stream()
                .findFirst();
    }

    @Transactional
    public List<Alert> alerts(String consumer) {
        check(consumer);
        return jdbc.query(
                """
                select period_start, period, budget_wei, spent_wei, raised_at from budget_alert
                where consumer_address = ? order by period_start desc""",
                (rs, n) -> new Alert(
                        rs.getTimestamp(1).toInstant(),
                        Period.valueOf(rs.getString(2)),
                        rs.getBigDecimal(3).toBigInteger().toString(),
                        rs.getBigDecimal(4).toBigInteger().toString(),
                        rs.getTimestamp(5).toInstant()),
                consumer);
    }

    /** Raises this period's alert for every consumer over budget; returns how many were new. */
    @Transactional
    public int checkAll() {
        int raised = 0;
        for (String consumer : jdbc.queryForList("select consumer_address from consumer_budget", String.class)) {
            raised += check(consumer);
        }
        return raised;
    }

    private int check(String consumer) {
        Optional<Budget> budget = of(consumer);
        if (budget.isEmpty()) {
            return 0;
        }
        Instant start = periodStart(budget.get().period());
        BigInteger limit = new BigInteger(budget.get().amountWei());
        BigInteger spent = statements.spentSince(consumer, start);
        if (spent.compareTo(limit) <= 0) {
            return 0;
        }
        int raised = jdbc.update(
                """
                insert into budget_alert (consumer_address, period_start, period, budget_wei, spent_wei)
                values (?, ?, ?, ?, ?) on conflict do nothing""",
                consumer,
                Timestamp.from(start),
                budget.get().period().name(),
                new BigDecimal(limit),
                new BigDecimal(spent));
        if (raised > 0) {
            log.warn(
                    "budget alert: {} spent {} wei this {}, over its budget of {} wei",
                    consumer,
                    spent,
                    budget.get().period().name().toLowerCase(java.util.Locale.ROOT),
                    limit);
        }
        return raised;
    }

    private Instant periodStart(Period period) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate first = period == Period.DAY ? today : today.withDayOfMonth(1);
        return first.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
