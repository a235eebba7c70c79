package dev.shopcluster.operator.dataplane;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.dataplane.HttpConnection.Response;
import dev.shopcluster.operator.dataplane.Traffic.Sample;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Both primaries of an ActiveStandby shop failing at once while one client sends about 400 GET requests a
 * second, one after another on a keep-alive connection, and what that client saw.
 *
 * @param longestGap the longest time between two answers, from the fault on
 * @param failed requests that got no answer or an error
 * @param requests requests sent during the measurement
 * @param failures what the first failed requests got
 */
record PrimaryFault(Duration longestGap, long failed, long requests, List<String> failures) {

    static final int REQUESTS_PER_SECOND = 400;

    /** Something that makes the primaries fail. */
    interface Fault {
        void inject() throws Exception;
    }

    /** Runs the client for a second, injects the fault, and stops once the standby has answered for a second. */
    static PrimaryFault measure(InetSocketAddress frontend, Set<String> standby, Fault fault) throws Exception {
        PacedClient client = new PacedClient(frontend);
        try {
            client.awaitAnswers(REQUESTS_PER_SECOND, Set.of());
            long faultAt = System.nanoTime();
            fault.inject();
            client.awaitAnswers(REQUESTS_PER_SECOND, standby);
            List<Sample> samples = client.stop();
            long longestGap = 0;
            long lastAnswer = faultAt;
            for (Sample sample : samples) {
                if (sample.ok() && sample.endNanos() >= faultAt) {
                    longestGap = Math.max(longestGap, sample.endNanos() - lastAnswer);
                }
                if (sample.ok()) {
                    lastAnswer = Math.max(lastAnswer, sample.endNanos());
                }
            }
            return new PrimaryFault(
                    Duration.ofNanos(longestGap),
                    samples.stream().filter(s -> !s.ok()).count(),
                    samples.size(),
                    Traffic.firstFailures(samples));
        } finally {
            client.stop();
        }
    }

    /** One client thread sending GET requests at a steady pace, on one keep-alive connection while it lasts. */
    private static final class PacedClient {

        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        PacedClient(InetSocketAddress frontend) {
            thread = new Thread(() -> run(frontend), "paced-client");
            thread.setDaemon(true);
            thread.start();
        }

        private void run(InetSocketAddress frontend) {
            long period = 1_000_000_000L / REQUESTS_PER_SECOND;
            long next = System.nanoTime();
            HttpConnection connection = null;
            while (running) {
                LockSupport.parkNanos(next - System.nanoTime()); // the pace, not a wait for a condition
                next = Math.max(next + period, System.nanoTime() - period);
                long start = System.nanoTime();
                try {
                    if (connection == null || !connection.open()) {
                        connection = new HttpConnection(frontend, null);
                    }
                    Response response = connection.send("/", Map.of(), true);
                    samples.add(new Sample(start, System.nanoTime(), response.status(), response.body()));
                } catch (IOException e) {
                    samples.add(new Sample(start, System.nanoTime(), 0, e.toString()));
                    close(connection);
                    connection = null;
                }
            }
            close(connection);
        }

        private static void close(HttpConnection connection) {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (IOException e) {
                // already gone
            }
        }

        /** Waits for {@code count} more answers, from {@code servers} (any server if empty). */
        void awaitAnswers(int count, Set<String> servers) {
            long target = answers(servers) + count;
            await("%d answers from %s".formatted(count, servers.isEmpty() ? "any server" : servers))
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> answers(servers) >= target);
        }

        private long answers(Set<String> servers) {
            return samples.stream()
                    .filter(s -> s.ok() && (servers.isEmpty() || servers.contains(s.server())))
                    .count();
        }

        List<Sample> stop() throws InterruptedException {
            running = false;
            thread.join();
            return new ArrayList<>(samples);
        }
    }
}
