/**
 * Names of the chain's events as our contracts emit them, which the marketplace's indexer stores and its
 * statements, graph and SLA pages select by.
 */
package io.tollgate.protocol.chain;
