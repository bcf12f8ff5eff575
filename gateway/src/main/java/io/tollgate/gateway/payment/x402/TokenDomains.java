package io.tollgate.gateway.payment.x402;

import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.TokenAuthorizations;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The EIP-712 domain of each token a listing sells in: the configured name and version, else what the token
 * reports ({@code eip712Domain()}, checked against its {@code DOMAIN_SEPARATOR()}), read once and kept. A token
 * whose domain cannot be read has none (no {@code exact} terms); it is asked again next time.
 */
final class TokenDomains {
    private static final Logger log = LoggerFactory.getLogger(TokenDomains.class);

    private final Web3j web3j;
    private final long chainId;
    private final Map<String, X402Properties.TokenDomain> configured;
    private final Map<String, TokenAuthorizations.Domain> known = new ConcurrentHashMap<>();

    TokenDomains(Web3j web3j, long chainId, Map<String, X402Properties.TokenDomain> configured) {
        this.web3j = web3j;
        this.chainId = chainId;
        this.configured = configured;
    }

    Mono<Optional<TokenAuthorizations.Domain>> of(String token) {
        String key = token.toLowerCase(Locale.ROOT);
        var cached = known.get(key);
        if (cached != null) {
            return Mono.just(Optional.of(cached));
        }
        var set = configured.get(key);
        if (set != null) {
            var domain = new TokenAuthorizations.Domain(set.name(), set.version(), chainId, Address.of(key));
            known.put(key, domain);
            return Mono.just(Optional.of(domain));
        }
        return Mono.fromCallable(() -> TokenPermits.domain(web3j, key))
                .subscribeOn(Schedulers.boundedElastic())
                .map(domain -> {
                    known.put(key, domain);
                    return Optional.of(domain);
                })
                .onErrorResume(e -> {
                    log.atWarn()
                            .addKeyValue("token", key)
                            .setCause(e)
                            .log("the token's EIP-712 domain could not be read: no exact terms");
                    return Mono.just(Optional.empty());
                });
    }
}
