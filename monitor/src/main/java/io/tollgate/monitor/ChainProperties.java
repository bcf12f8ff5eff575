package io.tollgate.monitor;

import java.math.BigInteger;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chain the channels live on.
 *
 * @param gasPriceCeiling the most wei per gas the submitter pays
 */
@ConfigurationProperties("tollgate.chain")
public record ChainProperties(
        @DefaultValue("http://127.0.0.1:8545") String rpcUrl,
        @DefaultValue("31337") long chainId,
        @DefaultValue("100000000000") BigInteger gasPriceCeiling) {}
