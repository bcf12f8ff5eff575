package io.tollgate.gateway.ledger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.tracing.Tracing;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * {@link VoucherLedger} as one Redis Lua script ({@code ledger.lua} on top of the {@code money.lua} helper),
 * run with EVALSHA on a Lettuce connection of its own (async API: the fewest operators on the hot path); on
 * {@code NOSCRIPT} (a restarted or new server) it runs EVAL once, which loads the script. All keys of a channel
 * carry the hash tag {@code {0x…channel}}.
 */
public final class RedisVoucherLedger implements VoucherLedger {

    static final RedisScript<String> SCRIPT = RedisScript.of(script("money.lua") + script("ledger.lua"), String.class);

    private final RedisClient client;
    private final Mono<StatefulRedisConnection<String, String>> connection;
    private final LedgerProperties properties;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicReference<StatefulRedisConnection<String, String>> opened =
            new java.util.concurrent.atomic.AtomicReference<>();
    private @Nullable RedisClient ownClient;

    /**
     * A ledger on a client of its own: one I/O thread, and no command tracing or latency recording (Spring's
     * shared client observes every command; the ledger runs on every paid request and the payment filter counts
     * its outcomes). {@link #close} shuts the client down.
     */
    public static RedisVoucherLedger withOwnClient(RedisURI uri, LedgerProperties properties, Clock clock) {
        var resources = ClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .tracing(Tracing.disabled())
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        var ledger = new RedisVoucherLedger(RedisClient.create(resources), uri, properties, clock);
        ledger.ownClient = ledger.client;
        return ledger;
    }

    /**
     * A ledger on a connection of its own to {@code uri}, opened on first use (and again after it was closed);
     * a server that is down shows as an error signal of {@link #record}, never at construction.
     */
    public RedisVoucherLedger(RedisClient client, RedisURI uri, LedgerProperties properties, Clock clock) {
        this.client = client;
        this.connection = Mono.defer(() -> Mono.fromCompletionStage(client.connectAsync(StringCodec.UTF8, uri)))
                .doOnNext(opened::set)
                .cacheInvalidateIf(open -> {
                    if (open.isOpen()) {
                        return false;
                    }
                    open.closeAsync();
                    return true;
                });
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Mono<LedgerOutcome> record(LedgerEntry entry) {
        var keys = LedgerKeys.of(properties.keyPrefix(), entry.channel());
        String pair = entry.epoch() + ":" + entry.category();
        String[] keyArray = {keys.window(pair), keys.seen(pair), keys.exposure(), keys.best()};
        String[] args = {
            Long.toString(entry.epoch()),
            Integer.toString(entry.category()),
            Long.toString(entry.count()),
            entry.price().toString(),
            entry.unredeemedDeposit().toString(),
            Long.toString(entry.oldestUnredeemedEpoch()),
            Integer.toString(properties.windowSize()),
            entry.encodedVoucher(),
            Long.toString(clock.millis())
        };
        return connection
                .flatMap(open -> {
                    var commands = open.async();
                    return Mono.fromCompletionStage(
                            commands.<String>evalsha(SCRIPT.getSha1(), ScriptOutputType.VALUE, keyArray, args)
                                    .exceptionallyCompose(e -> isNoScript(e)
                                            ? commands.<String>eval(
                                                    SCRIPT.getScriptAsString(), ScriptOutputType.VALUE, keyArray, args)
                                            : CompletableFuture.failedStage(e)));
                })
                .map(reply -> parse(reply, entry.unredeemedDeposit()));
    }

    private static boolean isNoScript(Throwable e) {
        Throwable cause =
                e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof RedisNoScriptException
                || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"));
    }

    /**
     * Closes the ledger's connection if one was opened (never opens one to close it), and its own client if it
     * has one.
     */
    public void close() {
        var open = opened.getAndSet(null);
        if (open != null) {
            open.close();
        }
        if (ownClient != null) {
            ownClient.shutdown();
        }
    }

    static LedgerOutcome parse(String reply, Wei deposit) {
        String[] parts = reply.split("\\|");
        return switch (parts[0]) {
            case "A" -> {
                Wei exposure = Wei.parse(parts[2]);
                yield new LedgerOutcome.Accepted(Long.parseLong(parts[1]), exposure, deposit.minus(exposure));
            }
            case "R" -> new LedgerOutcome.Rejected(LedgerOutcome.Reason.valueOf(parts[1]));
            default -> throw new IllegalStateException("unexpected ledger reply: " + reply);
        };
    }

    static String script(String name) {
        try (var in = new ClassPathResource(name, RedisVoucherLedger.class).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
