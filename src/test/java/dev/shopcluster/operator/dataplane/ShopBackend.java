package dev.shopcluster.operator.dataplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP backend on its own loopback address, standing in for one shop pod: it answers with its
 * name, and a test can make it fail its health check, answer slowly, or die (stop listening) and return.
 */
final class ShopBackend implements AutoCloseable {

    static {
        // Without it the JDK server waits for delayed ACKs: about 40 ms per keep-alive response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final InetSocketAddress address;
    private final String healthPath;
    private final ExecutorService workers = Executors.newCachedThreadPool(ShopBackend::daemon);
    /** Answers slow requests when due, without holding a thread per request. */
    private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor(ShopBackend::daemon);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private volatile boolean healthy = true;
    private volatile boolean hung;
    private volatile long delayMillis;
    private volatile String forwardedFor;
    private HttpServer server;

    ShopBackend(String name, InetSocketAddress address, String healthPath) {
        this.name = name;
        this.address = address;
        this.healthPath = healthPath;
    }

    String name() {
        return name;
    }

    String ip() {
        return address.getAddress().getHostAddress();
    }

    synchronized ShopBackend start() throws IOException {
        if (server == null) {
            server = HttpServer.create(address, 256);
            server.createContext("/", this::handle);
            server.setExecutor(workers);
            server.start();
        }
        return this;
    }

    /** Dies as a killed pod does: the port refuses connections; open ones are closed. */
    synchronized void kill() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Hangs as a stuck process does: it keeps accepting connections and reading requests, and never answers. */
    void hang() {
        hung = true;
    }

    void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    /** Every request (but health checks) takes this long to answer. */
    void delay(long millis) {
        this.delayMillis = millis;
    }

    long served() {
        return served.get();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    /** The X-Forwarded-For header of the last request served. */
    String forwardedFor() {
        return forwardedFor;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
        }
        if (hung) {
            return; // the exchange stays open and unanswered
        }
        if (exchange.getRequestURI().getPath().equals(healthPath)) {
            respond(exchange, healthy ? 200 : 503, healthy ? "ok" : "unhealthy");
            return;
        }
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        long delay = delayMillis;
        if (delay > 0) {
            answers.schedule(() -> serve(exchange), delay, TimeUnit.MILLISECONDS); // the slow shop's service time
        } else {
            serve(exchange);
        }
    }

    private void serve(HttpExchange exchange) {
        forwardedFor = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
        served.incrementAndGet();
        // Before answering: once HAProxy has the answer it may send this server the next request.
        inFlight.decrementAndGet();
        try {
            respond(exchange, 200, name);
        } catch (IOException e) {
            exchange.close(); // the client (HAProxy) or this backend went away meanwhile
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (exchange;
                OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Thread daemon(Runnable runnable) {
        Thread thread = new Thread(runnable, "backend");
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Runs backends in this process until it is killed, for pods that live in another network namespace
     * (`ip netns exec NS java ... ShopBackend PORT HEALTH_PATH NAME@IP...`). Prints "ready" once they listen.
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        for (int i = 2; i < args.length; i++) {
            String[] nameAndIp = args[i].split("@");
            new ShopBackend(nameAndIp[0], new InetSocketAddress(nameAndIp[1], port), args[1]).start();
        }
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        kill();
        answers.shutdownNow();
        workers.shutdownNow();
    }
}
