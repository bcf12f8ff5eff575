package io.tollgate.gateway.upstream;

import java.util.Optional;

/** Where a listing's upstream secret comes from (the marketplace's routes feed); looked up per request. */
public interface UpstreamSecretSource {
    Optional<String> upstreamSecret(String listingId);
}
