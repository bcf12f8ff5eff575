package io.tollgate.monitor.watch;

import java.util.List;

/** Where the monitor learns which channels to measure. */
public interface ChannelFeed {

    /** One entry of the feed: a channel, its listing and the URL to probe. */
    record Entry(String channel, String listing, String probeUrl) {}

    /** The channels with SLA terms to measure now; throws when the feed cannot be read. */
    List<Entry> entries();
}
