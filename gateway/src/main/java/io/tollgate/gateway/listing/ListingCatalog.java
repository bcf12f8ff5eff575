package io.tollgate.gateway.listing;

import java.util.Optional;

/** The listings this gateway sells (from configuration now; polled from the marketplace later). */
public interface ListingCatalog {

    Optional<Listing> find(String listingId);
}
