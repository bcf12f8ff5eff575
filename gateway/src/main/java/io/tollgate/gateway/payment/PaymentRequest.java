package io.tollgate.gateway.payment;

import io.tollgate.gateway.listing.Listing;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A request on a paid route, as the payment schemes check it.
 *
 * @param http the request as it arrived
 * @param listing the listing the route sells
 * @param category the route's price category (0..15)
 */
public record PaymentRequest(ServerHttpRequest http, Listing listing, int category) {}
