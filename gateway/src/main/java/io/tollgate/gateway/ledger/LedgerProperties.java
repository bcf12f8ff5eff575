package io.tollgate.gateway.ledger;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis ledger.
 *
 * @param windowSize how many counts below the highest accepted one may still arrive (reordered requests);
 *     older ones are refused
 * @param keyPrefix the prefix of every ledger key ({@code <prefix>:{0x…channel}:…})
 * @param batchSize the most voucher steps one script call carries: steps that arrive while a call is in flight
 *     go together in the next (1: one call per step)
 */
@Validated
@ConfigurationProperties("tollgate.gateway.ledger")
public record LedgerProperties(
        @DefaultValue("1024") @Min(1) @Max(65536) int windowSize,
        @DefaultValue("tollgate") @NotBlank String keyPrefix,
        @DefaultValue("32") @Min(1) @Max(256) int batchSize) {

    @ConstructorBinding
    public LedgerProperties {}

    /** Default batching. */
    public LedgerProperties(int windowSize, String keyPrefix) {
        this(windowSize, keyPrefix, 32);
    }
}
