package io.tollgate.marketplace.billing;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Billing settings.
 *
 * @param budgetCheckInterval how often every consumer's budget is checked for alerts
 */
@Validated
@ConfigurationProperties("tollgate.billing")
record BillingProperties(@DefaultValue("1m") @NotNull Duration budgetCheckInterval) {}
