package io.tollgate.monitor;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.math.BigInteger;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The chain the channels live on.
 *
 * @param gasPriceCeiling the most wei per gas the submitter pays
 */
@Validated
@ConfigurationProperties("tollgate.chain")
public record ChainProperties(
        @DefaultValue("http://127.0.0.1:8545") String rpcUrl,
        @DefaultValue("31337") @Positive long chainId,
        @DefaultValue("100000000000") @NotNull @Positive BigInteger gasPriceCeiling) {}
