package io.tollgate.gateway.ledger;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis ledger.
 *
 * @param windowSize how many counts below the highest accepted one may still arrive (reordered requests);
 *     older ones are refused
 * @param keyPrefix the prefix of every ledger key ({@code <prefix>:{0x…channel}:…})
 */
@Validated
@ConfigurationProperties("tollgate.gateway.ledger")
public record LedgerProperties(
        @DefaultValue("1024") @Min(1) @Max(65536) int windowSize,
        @DefaultValue("tollgate") @NotBlank String keyPrefix) {}
