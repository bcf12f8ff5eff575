package io.tollgate.monitor.watch;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaTerms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * The channels this process measures and submits for: the feed's entries whose SLA terms, read from the chain
 * (immutable, so read once per channel), are present. A failed refresh keeps the last good set.
 */
public final class WatchedChannels {
    private static final Logger log = LoggerFactory.getLogger(WatchedChannels.class);

    private final ChannelFeed feed;
    private final Web3j web3j;
    private final Map<String, SlaTerms> terms = new ConcurrentHashMap<>();
    private volatile List<Watch> current = List.of();

    public WatchedChannels(ChannelFeed feed, Web3j web3j) {
        this.feed = feed;
        this.web3j = web3j;
    }

    /** Reads the feed and the terms of channels not seen before; returns the new set. */
    public List<Watch> refresh() {
        List<Watch> next = new ArrayList<>();
        for (ChannelFeed.Entry entry : feed.entries()) {
            SlaTerms sla = terms.computeIfAbsent(
                    entry.channel(),
                    channel -> ChannelClient.readOnly(web3j, channel).slaTerms());
            if (!sla.present()) {
                log.atWarn()
                        .addKeyValue("channel", entry.channel())
                        .log("the feed names a channel without SLA terms on chain; not measured");
                continue;
            }
            next.add(new Watch(entry.channel(), entry.listing(), entry.probeUrl(), sla));
        }
        if (!next.equals(current)) {
            log.atInfo().addKeyValue("channels", next.size()).log("channels to measure changed");
        }
        current = List.copyOf(next);
        return current;
    }

    /** The channels of the last refresh. */
    public List<Watch> current() {
        return current;
    }
}
