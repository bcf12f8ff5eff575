package io.tollgate.client;

import io.tollgate.pricing.TokenUnit;
import io.tollgate.protocol.Problem;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway's RFC 9457 {@code application/problem+json} answer.
 *
 * @param type the stable problem type URI, e.g. {@code https://tollgate.dev/problems/payment-required}
 * @param members the extension members, e.g. {@code listing}, {@code subscribe}, {@code activeEpoch}
 */
public record PaymentProblem(URI type, String title, int status, String detail, Map<String, Object> members) {
    public PaymentProblem {
        members = Map.copyOf(members);
    }

    /** The last path segment of the type: what clients branch on ({@code payment-required}, …). */
    public String slug() {
        String path = type == null || type.getPath() == null ? "" : type.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether this is {@code problem} of the protocol's catalogue (by its slug). */
    public boolean is(Problem problem) {
        return problem.is(slug());
    }

    /**
     * The token the gateway asks to be paid in, from the {@code asset} member ({@code {"address", "symbol",
     * "decimals"}}); empty when the body has none (an older gateway, or a problem that names no listing).
     */
    public Optional<Asset> asset() {
        if (!(members.get("asset") instanceof Map<?, ?> asset)
                || !(asset.get("address") instanceof String address)
                || !(asset.get("symbol") instanceof String symbol)
                || !(asset.get("decimals") instanceof Number decimals)) {
            return Optional.empty();
        }
        return Optional.of(new Asset(address, new TokenUnit(symbol, decimals.intValue())));
    }

    /** A token by address, with its unit. */
    public record Asset(String address, TokenUnit unit) {}

    public Optional<String> member(String name) {
        return Optional.ofNullable(members.get(name)).map(String::valueOf);
    }
}
