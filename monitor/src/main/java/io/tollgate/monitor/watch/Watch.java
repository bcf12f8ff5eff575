package io.tollgate.monitor.watch;

import io.tollgate.contracts.channel.SlaTerms;

/**
 * A channel to measure: its listing (whose gateway rows count), the URL its monitors probe, and its SLA terms as
 * the chain holds them (never as the feed says).
 *
 * @param listing the listing's slug, as the gateways' rows name it
 */
public record Watch(String channel, String listing, String probeUrl, SlaTerms terms) {}
