/**
 * SLA states that more than one module reads: the monitor writes them, the marketplace shows them.
 */
package io.tollgate.protocol.sla;
