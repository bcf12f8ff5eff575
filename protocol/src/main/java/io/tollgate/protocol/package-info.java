/**
 * Tollgate's protocol, written once and used by every other module: what the consumer's client, the gateway, the
 * marketplace and the monitor say to each other and to the chain. Plain Java, no framework, no dependency beyond the
 * JDK and {@code pricing} (prices and money are part of the protocol).
 */
package io.tollgate.protocol;
