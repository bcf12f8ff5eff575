package io.tollgate.gateway.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between the gateway and its chain node that a scenario can break: {@link #refuse()} drops every
 * connection and closes new ones at once (a node that is down), {@link #blackhole()} drops every connection and
 * holds new ones open without an answer (a network partition: the caller waits for its own timeouts),
 * {@link #restore()} forwards again.
 */
final class ChaosProxy implements AutoCloseable {

    enum Mode {
        FORWARD,
        REFUSE,
        BLACKHOLE
    }

    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;

    private ChaosProxy(int target) throws IOException {
        this.server = new ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress());
        this.target = target;
        Thread.ofVirtual().name("chaos-proxy").start(this::accept);
    }

    static ChaosProxy to(int targetPort) {
        try {
            return new ChaosProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    void refuse() {
        mode = Mode.REFUSE;
        dropAll();
    }

    void blackhole() {
        mode = Mode.BLACKHOLE;
        dropAll();
    }

    void restore() {
        mode = Mode.FORWARD;
        dropAll(); // connections held by the black hole: their callers see them close
    }

    private void dropAll() {
        for (var socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            switch (mode) {
                case REFUSE -> closeQuietly(client);
                case BLACKHOLE -> open.add(client); // read nothing, answer nothing
                case FORWARD -> {
                    try {
                        var upstream = new Socket("127.0.0.1", target);
                        open.add(client);
                        open.add(upstream);
                        pipe(client, upstream);
                        pipe(upstream, client);
                    } catch (IOException e) {
                        closeQuietly(client);
                    }
                }
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // dropped
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        dropAll();
    }
}
