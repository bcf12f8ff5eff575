package io.tollgate.marketplace.web;

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
 */
@Validated
@ConfigurationProperties("tollgate.web")
public record WebProperties(
        @DefaultValue("http://127.0.0.1:8080") String gatewayUrl,
        String browserRpcUrl,
        @DefaultValue("false") boolean devWallet) {}
