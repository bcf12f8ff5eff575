package io.tollgate.marketplace.catalogue;

import java.util.Optional;

/**
 * Chooses the upstream secret of a listing being created instead of a random one. Only the demo has one: listings
 * on the demo's example upstream get the secret that upstream was started with, so they are served through the
 * gateway as soon as they exist.
 */
@FunctionalInterface
public interface NewListingSecret {
    Optional<String> secretFor(String upstreamUrl);
}
