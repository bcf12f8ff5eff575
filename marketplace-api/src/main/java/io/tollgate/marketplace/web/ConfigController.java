package io.tollgate.marketplace.web;

import io.tollgate.marketplace.chain.ChainSettings;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Public settings the web UI starts from: the chain, the factory, the gateway, the development wallet. */
@RestController
class ConfigController {
    record Config(long chainId, String factory, String gatewayUrl, String rpcUrl, boolean devWallet) {}

    private final ChainSettings chain;
    private final WebProperties web;

    ConfigController(ChainSettings chain, WebProperties web) {
        this.chain = chain;
        this.web = web;
    }

    @GetMapping("/api/config")
    Config config() {
        return new Config(
                chain.chainId(),
                chain.factory(),
                web.gatewayUrl(),
                web.browserRpcUrl() == null ? chain.rpcUrl() : web.browserRpcUrl(),
                web.devWallet());
    }
}
