package io.tollgate.monitor;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.contracts.testing.AnvilNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A small HTTP server answering one JSON body per path prefix, for what the monitor reads over HTTP and these
 * tests do not run: the marketplace's monitor feed (its shape is held to the marketplace's by the e2e suite) and a
 * Prometheus server. Remembers the query strings it was asked and the credentials presented.
 */
final class StubServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicReference<Function<String, String>> answers = new AtomicReference<>(query -> "[]");
    final List<String> queries = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    StubServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", AnvilNode.freePort()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            queries.add(String.valueOf(exchange.getRequestURI().getQuery()));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String query = exchange.getRequestURI().getQuery();
            byte[] bytes = answers.get().apply(query == null ? "" : query).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Every request is answered {@code json}. */
    void answer(String json) {
        answers.set(query -> json);
    }

    /** Each request is answered what {@code byQuery} gives for its decoded query string. */
    void answer(Function<String, String> byQuery) {
        answers.set(byQuery);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
