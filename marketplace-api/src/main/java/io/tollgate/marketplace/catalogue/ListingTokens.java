package io.tollgate.marketplace.catalogue;

import io.tollgate.contracts.channel.TokenMetadata;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.web3j.protocol.Web3j;

/**
 * The token a listing is priced in, as its contract describes itself ({@link TokenMetadata}): read once when a
 * provider sets the token, kept on the listing.
 */
@Component
class ListingTokens {
    private final Web3j web3j;

    ListingTokens(Web3j web3j) {
        this.web3j = web3j;
    }

    /**
     * The ERC-20 at {@code address}: a 422 {@code token-not-erc20} problem naming what the address holds instead;
     * a 500 problem when the chain node does not answer (nothing was saved).
     */
    TokenView read(String address) {
        try {
            var token = TokenMetadata.read(web3j, address);
            return new TokenView(token.address(), token.symbol(), token.decimals());
        } catch (TokenMetadata.NotAToken e) {
            throw new ApiProblem(
                    ProblemType.TOKEN_NOT_ERC20,
                    e.getMessage() + "; leave 'token' empty for ether, or name an ERC-20 with symbol() and decimals()",
                    Map.of("token", address, "errors", Map.of("token", e.getMessage())));
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ApiProblem(
                    ProblemType.INTERNAL,
                    "the chain node did not answer reading the token " + address + "; nothing was saved, try again",
                    Map.of("token", address));
        }
    }
}
