package dev.shopcluster.operator.dataplane;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.dataplane.HttpConnection.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** Real HTTP traffic through the balancer, and what became of it. */
final class Traffic {

    /** One request's outcome: when it started and ended, its status (0: no response at all) and who answered. */
    record Sample(long startNanos, long endNanos, int status, String server) {
        boolean ok() {
            return status == 200;
        }
    }

    private Traffic() {}

    /** What the first five failed requests got: their status and the server that answered, if any. */
    static List<String> firstFailures(List<Sample> samples) {
        return samples.stream()
                .filter(s -> !s.ok())
                .limit(5)
                .map(s -> s.status() + " " + s.server())
                .toList();
    }

    /**
     * {@code count} requests one after another on a keep-alive connection (a new one whenever the
     * balancer closes it), request {@code i} carrying {@code headers.apply(i)}.
     */
    static List<Response> sequential(
            InetSocketAddress target, int count, IntFunction<String> path, IntFunction<Map<String, String>> headers)
            throws IOException {
        List<Response> responses = new ArrayList<>(count);
        HttpConnection connection = null;
        try {
            for (int i = 0; i < count; i++) {
                if (connection == null || !connection.open()) {
                    if (connection != null) {
                        connection.close();
                    }
                    connection = new HttpConnection(target, null);
                }
                responses.add(connection.send(path.apply(i), headers.apply(i), true));
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
        return responses;
    }

    static List<Response> sequential(InetSocketAddress target, int count) throws IOException {
        return sequential(target, count, i -> "/", i -> Map.of());
    }

    /** Requests per answering server, in name order. */
    static Map<String, Long> perServer(List<Response> responses) {
        return perServer(responses, Response::body);
    }

    static <T> Map<String, Long> perServer(List<T> samples, Function<T, String> server) {
        return samples.stream().collect(Collectors.groupingBy(server, TreeMap::new, Collectors.counting()));
    }

    /**
     * Steady load: {@code clients} threads each sending requests back to back, each on a new connection
     * (the strictest case for reloads: every request needs the listener) until {@link #stop}.
     */
    static final class Load {

        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final List<Thread> clients = new ArrayList<>();
        private final AtomicLong completed = new AtomicLong();
        private volatile boolean running = true;

        Load(InetSocketAddress target, int clients, Map<String, String> headers) {
            for (int i = 0; i < clients; i++) {
                Thread client = new Thread(
                        () -> {
                            List<Sample> mine = new ArrayList<>();
                            while (running) {
                                mine.add(request(target, headers));
                                completed.incrementAndGet();
                                if (mine.size() >= 256) {
                                    samples.addAll(mine);
                                    mine.clear();
                                }
                            }
                            samples.addAll(mine);
                        },
                        "load-" + i);
                client.setDaemon(true);
                client.start();
                this.clients.add(client);
            }
        }

        private static Sample request(InetSocketAddress target, Map<String, String> headers) {
            long start = System.nanoTime();
            try {
                Response response = HttpConnection.get(target, "/", headers);
                return new Sample(start, System.nanoTime(), response.status(), response.body());
            } catch (IOException e) {
                return new Sample(start, System.nanoTime(), 0, e.toString());
            }
        }

        /** Requests completed so far, failed ones included. */
        long completed() {
            return completed.get();
        }

        /** Runs until {@code count} requests have completed, then stops. */
        List<Sample> stopAfter(long count) throws InterruptedException {
            await("%d requests".formatted(count))
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> completed.get() >= count);
            return stop();
        }

        /** Stops the clients and returns every sample, in the order they ended. */
        List<Sample> stop() throws InterruptedException {
            running = false;
            for (Thread client : clients) {
                client.join();
            }
            List<Sample> all = new ArrayList<>(samples);
            all.sort((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
            return all;
        }
    }
}
