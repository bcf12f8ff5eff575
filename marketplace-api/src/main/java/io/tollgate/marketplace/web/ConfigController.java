package io.tollgate.marketplace.web;

import io.tollgate.settings.ChainProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Public settings the web UI starts from: the chain, the factory, the gateway, the development wallet, how long it
 * waits for a transaction to be mined.
 */
@RestController
class ConfigController {
    /** @param receiptTimeoutSeconds how long the web UI waits for a sent transaction to be mined before saying so */
    record Config(
            long chainId,
            String factory,
            String gatewayUrl,
            String rpcUrl,
            boolean devWallet,
            long receiptTimeoutSeconds) {}

    private final ChainProperties chain;
    private final WebProperties web;

    ConfigController(ChainProperties chain, WebProperties web) {
        this.chain = chain;
        this.web = web;
    }

    @GetMapping("/api/config")
    Config config() {
        return new Config(
                chain.chainId(),
                chain.newChannelFactory().orElse(null),
                web.gatewayUrl(),
                web.browserRpcUrl() == null ? chain.rpcUrl() : web.browserRpcUrl(),
                web.devWallet(),
                web.receiptTimeout().toSeconds());
    }
}
