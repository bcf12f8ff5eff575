package io.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVoucherCountersTest {
    static final String CHANNEL = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    @TempDir
    Path dir;

    @Test
    void countsContinueAfterARestartWithoutReuseOrGaps() {
        Path file = dir.resolve("counters.log");
        try (var counters = new FileVoucherCounters(file)) {
            assertThat(counters.next(CHANNEL, 1, 0)).isEqualTo(1);
            assertThat(counters.next(CHANNEL, 1, 0)).isEqualTo(2);
            assertThat(counters.next(CHANNEL, 1, 1)).isEqualTo(1);
            assertThat(counters.next(CHANNEL, 2, 0)).isEqualTo(1);
        }
        try (var restarted = new FileVoucherCounters(file)) {
            assertThat(restarted.current(CHANNEL, 1, 0)).isEqualTo(2);
            assertThat(restarted.next(CHANNEL, 1, 0)).isEqualTo(3);
            assertThat(restarted.next(CHANNEL.toUpperCase().replace("0X", "0x"), 1, 1))
                    .isEqualTo(2);
            assertThat(restarted.next(CHANNEL, 2, 0)).isEqualTo(2);
        }
    }

    @Test
    void aTornLastLineFromACrashIsIgnored() throws Exception {
        Path file = dir.resolve("counters.log");
        try (var counters = new FileVoucherCounters(file)) {
            counters.next(CHANNEL, 1, 0);
            counters.next(CHANNEL, 1, 0);
        }
        // a crash in the middle of appending the reservation of count 3: that count was never handed out
        Files.writeString(file, CHANNEL + " 1 0", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (var restarted = new FileVoucherCounters(file)) {
            assertThat(restarted.next(CHANNEL, 1, 0)).isEqualTo(3);
        }
        try (var compacted = new FileVoucherCounters(file)) {
            assertThat(Files.readAllLines(file)).containsExactly(CHANNEL + " 1 0 3");
            assertThat(compacted.current(CHANNEL, 1, 0)).isEqualTo(3);
        }
    }

    @Test
    void concurrentCallersNeverGetTheSameCount() throws Exception {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        try (var counters = new FileVoucherCounters(dir.resolve("counters.log"));
                var pool = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, 400).forEach(i -> pool.execute(() -> seen.add(counters.next(CHANNEL, 1, 0))));
            pool.shutdown();
            assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(seen).hasSize(400);
            assertThat(counters.current(CHANNEL, 1, 0)).isEqualTo(400);
        }
    }
}
