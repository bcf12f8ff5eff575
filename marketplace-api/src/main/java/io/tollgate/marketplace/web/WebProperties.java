package io.tollgate.marketplace.web;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the browser front end is told about its surroundings.
 *
 * @param gatewayUrl where consumers send paid calls (shown in the client-library snippet)
 * @param browserRpcUrl the JSON-RPC URL the browser's development wallet talks to; none: {@code tollgate.chain.rpc-url}
 * @param devWallet offer the built-in development wallet over the node's unlocked accounts (anvil's), for demos
 *     without a browser extension; never on a real network
 * @param receiptTimeout how long the web UI waits for a transaction it sent to be mined; then it tells the user the
 *     transaction was not mined in time, with its hash (it may still be mined, or have been dropped)
 */
@Validated
@ConfigurationProperties("tollgate.web")
public record WebProperties(
        @DefaultValue("http://127.0.0.1:8080") String gatewayUrl,
        String browserRpcUrl,
        @DefaultValue("false") boolean devWallet,
        @DefaultValue("2m") @DurationMin(seconds = 1) Duration receiptTimeout) {}
