/**
 * Prices and money, with no framework and no dependency beyond the JDK: {@link io.tollgate.pricing.Wei}
 * amounts over {@code BigInteger}, {@link io.tollgate.pricing.PriceTable}s and their on-chain hash, offers,
 * volume rules and quotes. Shares are {@link io.tollgate.pricing.BasisPoints}; nothing here is floating point.
 */
package io.tollgate.pricing;
