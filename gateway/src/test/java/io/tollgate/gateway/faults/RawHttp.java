package io.tollgate.gateway.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests no well-behaved client would send (arbitrary header
 * bytes, a body that never comes). Sends {@code Connection: close} and reads one response.
 */
final class RawHttp {

    private RawHttp() {}

    /** One response: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean isProblem() {
            String type = header("content-type");
            return type != null && type.startsWith("application/problem+json");
        }
    }

    /** {@code GET path} with one extra header line {@code name: value} (value as raw ISO-8859-1 bytes). */
    static Response get(int port, String path, String name, byte[] value) {
        var request = new ByteArrayOutputStream();
        request.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + name + ": ")
                .getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(value);
        request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return exchange(port, request.toByteArray());
    }

    /** As {@link #get(int, String, String, byte[])}, with a second, well-formed header. */
    static Response get(int port, String path, String name, byte[] value, String otherName, String otherValue) {
        var request = new ByteArrayOutputStream();
        request.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + otherName + ": "
                        + otherValue + "\r\n" + name + ": ")
                .getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(value);
        request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return exchange(port, request.toByteArray());
    }

    /** Sends the bytes as they are and reads the response until the server closes or its body is complete. */
    static Response exchange(int port, byte[] request) {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response read(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int last4 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                break;
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 ")) {
            throw new IOException("no HTTP response: " + head.toString(StandardCharsets.ISO_8859_1));
        }
        int status = Integer.parseInt(lines[0].substring(9, 12));
        var headers = new TreeMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
