package io.tollgate.gateway.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Paid load for the fault scenarios: one virtual thread per channel sends {@code GET /paid/answer?n=<count>}
 * with the voucher of that count, counts 1, 2, 3, … one after the other. A careful client: when it got no
 * definite answer (the connection failed or broke, or {@code 503 payment-unavailable}: nothing charged) it sends
 * the same count again a little later, so a count is only given up when the gateway accepted it ({@code 200}) or
 * says it was used ({@code 409}). Requests go round-robin over the gateways' base URLs (replicas behind one
 * address). The last outcome of every count is kept: the HTTP status, or {@link #NO_ANSWER}.
 */
final class LoadDriver implements AutoCloseable {

    /** The outcome of an attempt whose connection failed or broke before a status arrived. */
    static final int NO_ANSWER = -1;

    private final List<String> baseUrls;
    private final List<StaticChannel> channels;
    private final LongFunction<String> path;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ConcurrentMap<String, ConcurrentMap<Long, Integer>> outcomes = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong noAnswers = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong firstOkAt = new AtomicLong();
    private final AtomicLong roundRobin = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    private LoadDriver(List<String> baseUrls, List<StaticChannel> channels, LongFunction<String> path) {
        this.baseUrls = List.copyOf(baseUrls);
        this.channels = List.copyOf(channels);
        this.path = path;
    }

    /** Starts one client per channel against these gateways. */
    static LoadDriver start(List<String> baseUrls, List<StaticChannel> channels) {
        var driver = new LoadDriver(baseUrls, channels, count -> "/paid/answer?n=" + count);
        channels.forEach(channel -> driver.threads.add(
                Thread.ofVirtual().name("load-" + channel.address()).start(() -> driver.run(channel))));
        return driver;
    }

    private void run(StaticChannel channel) {
        var mine = outcomes.computeIfAbsent(channel.address(), c -> new ConcurrentHashMap<>());
        long count = 1;
        while (running.get()) {
            String base = baseUrls.get((int) (roundRobin.getAndIncrement() % baseUrls.size()));
            var request = HttpRequest.newBuilder(URI.create(base + path.apply(count)))
                    .header("Payment-Voucher", channel.voucher(count))
                    .timeout(Duration.ofSeconds(30))
                    .build();
            attempts.incrementAndGet();
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                status = NO_ANSWER;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            mine.put(count, status);
            if (status == NO_ANSWER) {
                noAnswers.incrementAndGet();
            } else if (status == 503) {
                unavailable.incrementAndGet();
            } else if (status == 200) {
                firstOkAt.compareAndSet(0, System.nanoTime());
            }
            if (status == NO_ANSWER || status == 503) {
                // no definite answer (nothing charged, or not known): the same count again, a little later;
                // if the gateway had accepted it, the retry is refused as replayed and the count is paid
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } else {
                count++;
            }
        }
    }

    long attempts() {
        return attempts.get();
    }

    /** Attempts whose connection failed or broke. */
    long noAnswers() {
        return noAnswers.get();
    }

    /** Attempts answered {@code 503} (payment could not be checked). */
    long unavailable() {
        return unavailable.get();
    }

    /** Forgets the first {@code 200} seen, so {@link #firstOkAt()} tells the next one. */
    void awaitNextOk() {
        firstOkAt.set(0);
    }

    /** {@link System#nanoTime()} of the first {@code 200} since {@link #awaitNextOk()}; 0 while none came. */
    long firstOkAt() {
        return firstOkAt.get();
    }

    /** How many attempts of all channels ended with this status. */
    long count(int status) {
        return outcomes.values().stream()
                .flatMap(m -> m.values().stream())
                .filter(s -> s == status)
                .count();
    }

    /** Each attempted count of a channel and its outcome. */
    Map<Long, Integer> outcomes(String channel) {
        return new TreeMap<>(outcomes.getOrDefault(channel, new ConcurrentHashMap<>()));
    }

    List<StaticChannel> channels() {
        return channels;
    }

    /** Stops sending and waits for every client's last request to end. */
    @Override
    public void close() {
        running.set(false);
        for (var thread : threads) {
            try {
                thread.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
    }
}
