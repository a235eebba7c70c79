package dev.shopcluster.operator.dataplane;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client connection over a plain socket: unlike the JDK's client it can pick its
 * source address (for source-IP hashing) and shows exactly what the balancer did with each request.
 */
final class HttpConnection implements AutoCloseable {

    /** A response: its status and body (a backend's name, or HAProxy's error page). */
    record Response(int status, String body) {
        boolean ok() {
            return status == 200;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean open = true;

    HttpConnection(InetSocketAddress target, InetAddress source) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(target, 5_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** One request on a new connection, closed afterwards. */
    static Response get(InetSocketAddress target, String path, Map<String, String> headers) throws IOException {
        return get(target, null, path, headers);
    }

    static Response get(InetSocketAddress target, InetAddress source, String path, Map<String, String> headers)
            throws IOException {
        try (HttpConnection connection = new HttpConnection(target, source)) {
            return connection.send(path, headers, false);
        }
    }

    /** Whether the server left the connection open for another request. */
    boolean open() {
        return open;
    }

    Response send(String path, Map<String, String> headers, boolean keepAlive) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: shop\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append(keepAlive ? "" : "Connection: close\r\n").append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = -1;
        boolean close = !keepAlive;
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        byte[] body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        if (close || length < 0) {
            open = false;
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        open = false;
        socket.close();
    }
}
