package io.tollgate.marketplace.billing;

import io.tollgate.settings.schedule.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Checks every consumer's budgets (one per token, each against the spend in its token) every {@code tollgate.billing.budget-check-interval} (default 1 minute). */
@Configuration(proxyBeanMethods = false)
class BudgetWatch {
    private static final Logger log = LoggerFactory.getLogger(BudgetWatch.class);

    @Bean
    Ticker budgetWatchLoop(Budgets budgets, BillingProperties properties) {
        return new Ticker("budget check", properties.budgetCheckInterval(), Ticker.blocking(() -> {
            try {
                budgets.checkAll();
            } catch (RuntimeException e) {
                log.warn("budget check failed: {}", e.getMessage());
            }
        }));
    }
}
