/**
 * The listings the gateway sells: configured ones ({@link io.tollgate.gateway.listing.ListingProperties}) and the
 * marketplace's feed ({@link io.tollgate.gateway.listing.MarketplaceListings}, polled, keeping the last good
 * listings), which also gives Spring Cloud Gateway its routes. Knows nothing of payments.
 */
package io.tollgate.gateway.listing;
