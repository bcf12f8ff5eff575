package io.tollgate.gateway.ledger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanStream;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.tracing.Tracing;
import io.tollgate.gateway.voucher.PaidVoucher;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * {@link VoucherLedger} as one Redis Lua script ({@code ledger.lua} on top of the {@code money.lua} helper),
 * run with EVALSHA on a Lettuce connection of its own (async API: the fewest operators on the hot path); on
 * {@code NOSCRIPT} (a restarted or new server) it runs EVAL once, which loads the script. All keys of a channel
 * carry the hash tag {@code {0x…channel}}. The redemption's reads ({@link #best}, {@link #exposure}, {@link
 * #channels}) go over the same connection.
 */
public final class RedisVoucherLedger implements VoucherLedger {

    static final RedisScript<List> SCRIPT = RedisScript.of(script("money.lua") + script("ledger.lua"), List.class);

    private final RedisClient client;
    private final Mono<StatefulRedisConnection<String, String>> connection;
    private final LedgerProperties properties;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicReference<StatefulRedisConnection<String, String>> opened =
            new java.util.concurrent.atomic.AtomicReference<>();
    private @Nullable RedisClient ownClient;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Whether a batch is on its way to Redis (at most one at a time). */
    private final AtomicBoolean sending = new AtomicBoolean();

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

    /**
     * Queues the step and sends it at once when no batch is on its way to Redis, else with the next batch: under
     * load, steps that arrive while one call is in flight share the next call (one round trip and one script
     * run for up to {@link LedgerProperties#batchSize()} of them), at no cost in latency when idle. Each entry's
     * outcome is its own; a call that fails fails every entry of its batch.
     */
    @Override
    public Mono<LedgerOutcome> record(LedgerEntry entry) {
        return Mono.create(sink -> {
            queue.add(new Pending(entry, sink));
            drain();
        });
    }

    private record Pending(LedgerEntry entry, MonoSink<LedgerOutcome> sink) {}

    private void drain() {
        while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
            var batch = new ArrayList<Pending>(Math.min(properties.batchSize(), 16));
            Pending next;
            while (batch.size() < properties.batchSize() && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                sending.set(false);
                continue;
            }
            send(batch);
            return;
        }
    }

    private void send(List<Pending> batch) {
        String[] keys = new String[4 * batch.size()];
        String[] args = new String[9 * batch.size()];
        try {
            String now = Long.toString(clock.millis());
            String window = Integer.toString(properties.windowSize());
            for (int i = 0; i < batch.size(); i++) {
                var entry = batch.get(i).entry();
                var channelKeys = LedgerKeys.of(properties.keyPrefix(), entry.channel());
                String pair = entry.epoch() + ":" + entry.category();
                keys[4 * i] = channelKeys.window(pair);
                keys[4 * i + 1] = channelKeys.seen(pair);
                keys[4 * i + 2] = channelKeys.exposure();
                keys[4 * i + 3] = channelKeys.best();
                args[9 * i] = Long.toString(entry.epoch());
                args[9 * i + 1] = Integer.toString(entry.category());
                args[9 * i + 2] = Long.toString(entry.count());
                args[9 * i + 3] = entry.price().toString();
                args[9 * i + 4] = entry.creditLimit().toString();
                args[9 * i + 5] = Long.toString(entry.oldestUnredeemedEpoch());
                args[9 * i + 6] = window;
                args[9 * i + 7] = entry.encodedVoucher();
                args[9 * i + 8] = now;
            }
        } catch (RuntimeException e) {
            fail(batch, e);
            return;
        }
        connection
                .flatMap(open -> {
                    var commands = open.async();
                    return Mono.fromCompletionStage(
                            commands.<List<Object>>evalsha(SCRIPT.getSha1(), ScriptOutputType.MULTI, keys, args)
                                    .exceptionallyCompose(e -> isNoScript(e)
                                            ? commands.<List<Object>>eval(
                                                    SCRIPT.getScriptAsString(), ScriptOutputType.MULTI, keys, args)
                                            : CompletableFuture.failedStage(e)));
                })
                .defaultIfEmpty(List.of())
                .subscribe(replies -> answer(batch, replies), error -> fail(batch, error));
    }

    private void answer(List<Pending> batch, List<Object> replies) {
        next();
        for (int i = 0; i < batch.size(); i++) {
            var pending = batch.get(i);
            try {
                if (i >= replies.size()) {
                    throw new IllegalStateException("the ledger script gave no reply for step " + i);
                }
                pending.sink()
                        .success(parse((String) replies.get(i), pending.entry().creditLimit()));
            } catch (RuntimeException e) {
                pending.sink().error(e);
            }
        }
    }

    private void fail(List<Pending> batch, Throwable error) {
        next();
        batch.forEach(pending -> pending.sink().error(error));
    }

    /** The batch in flight is answered: the next one may go. */
    private void next() {
        sending.set(false);
        drain();
    }

    @Override
    public Mono<NavigableMap<Long, List<PaidVoucher>>> best(String channel) {
        String key = LedgerKeys.of(properties.keyPrefix(), channel).best();
        return connection
                .flatMap(open -> Mono.fromCompletionStage(open.async().hvals(key)))
                .defaultIfEmpty(List.of())
                .map(encoded -> {
                    NavigableMap<Long, List<PaidVoucher>> byEpoch = new TreeMap<>();
                    for (String voucher : encoded) {
                        var decoded = VoucherHeaderCodec.decode(voucher);
                        byEpoch.computeIfAbsent(decoded.voucher().epoch(), e -> new ArrayList<>())
                                .add(decoded);
                    }
                    byEpoch.replaceAll((epoch, vouchers) -> vouchers.stream()
                            .sorted(Comparator.comparingInt(
                                    (PaidVoucher v) -> v.voucher().category()))
                            .toList());
                    return byEpoch;
                });
    }

    @Override
    public Mono<Wei> exposure(String channel, long epoch) {
        String key = LedgerKeys.of(properties.keyPrefix(), channel).exposure();
        return connection
                .flatMap(open -> Mono.fromCompletionStage(open.async().hget(key, Long.toString(epoch))))
                .map(Wei::parse)
                .defaultIfEmpty(Wei.ZERO);
    }

    @Override
    public Flux<String> channels() {
        var matching = ScanArgs.Builder.matches(LedgerKeys.everyExposure(properties.keyPrefix()))
                .limit(1000);
        return connection
                .flatMapMany(open -> ScanStream.scan(open.reactive(), matching))
                .map(LedgerKeys::channelOf);
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

    static LedgerOutcome parse(String reply, Wei creditLimit) {
        String[] parts = reply.split("\\|");
        return switch (parts[0]) {
            case "A" -> {
                Wei exposure = Wei.parse(parts[2]);
                yield new LedgerOutcome.Accepted(Long.parseLong(parts[1]), exposure, creditLimit.minus(exposure));
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
