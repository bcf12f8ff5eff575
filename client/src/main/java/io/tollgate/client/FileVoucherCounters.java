package io.tollgate.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link VoucherCounters} in an append-only file: each reservation appends one line
 * {@code channel epoch category count} and forces it to disk before the count is returned (write-ahead).
 * Opening the file replays it, keeps the highest count per key and compacts it to one line per key.
 * A torn last line (a crash mid-write) is ignored: its count was never returned.
 *
 * <p>One fsync per request is the price of never reusing or skipping a count; it is a few microseconds
 * on a battery-backed or tmpfs store and up to milliseconds on a plain disk.
 */
public final class FileVoucherCounters implements VoucherCounters, AutoCloseable {
    private final Path file;
    private final Map<String, Long> counts = new HashMap<>();
    private final FileChannel log;

    public FileVoucherCounters(Path file) {
        this.file = file;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (Files.exists(file)) {
                replay();
                compact();
            }
            log = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open voucher counters at " + file, e);
        }
    }

    @Override
    public synchronized long next(String channel, long epoch, int category) {
        String key = key(channel, epoch, category);
        long next = counts.getOrDefault(key, 0L) + 1;
        try {
            log.write(ByteBuffer.wrap((key + " " + next + "\n").getBytes(StandardCharsets.US_ASCII)));
            log.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist voucher count to " + file + "; nothing was signed", e);
        }
        counts.put(key, next);
        return next;
    }

    @Override
    public synchronized long current(String channel, long epoch, int category) {
        return counts.getOrDefault(key(channel, epoch, category), 0L);
    }

    @Override
    public synchronized void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replay() throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] parts = line.split(" ");
            if (parts.length != 4) {
                continue; // a torn last line: its count was never handed out
            }
            try {
                String key = key(parts[0], Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
                counts.merge(key, Long.parseLong(parts[3]), Math::max);
            } catch (NumberFormatException torn) {
                // likewise torn
            }
        }
    }

    private void compact() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        var text = new StringBuilder();
        counts.forEach(
                (key, count) -> text.append(key).append(' ').append(count).append('\n'));
        try (FileChannel out = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String key(String channel, long epoch, int category) {
        return channel.toLowerCase(java.util.Locale.ROOT) + " " + epoch + " " + category;
    }
}
