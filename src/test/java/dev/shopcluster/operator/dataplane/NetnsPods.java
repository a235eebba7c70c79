package dev.shopcluster.operator.dataplane;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shop pods on a node of their own: a network namespace this test creates, joined to the host by a veth
 * pair, with backends (a JVM running {@link ShopBackend#main}) on its addresses. {@link #dropPackets} makes
 * the node unreachable the way a lost node is: every packet to the pods is dropped, nothing is refused.
 * Traffic only ever goes to addresses inside the namespace.
 */
final class NetnsPods implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String namespace;
    private final String hostSide;
    private final int port;
    private final List<String> ips = new ArrayList<>();
    private Process backends;

    /** Starts {@code count} pods named {@code PREFIX-1..} in a new namespace, all listening on {@code port}. */
    NetnsPods(String prefix, int count, int port, String healthPath) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the dropped-packets test creates a network namespace: it needs root");
        }
        int id = (int) (ProcessHandle.current().pid() % 200) * 50 + NEXT.incrementAndGet() % 50;
        namespace = "shop-drop-" + id;
        hostSide = "shopd" + id + "h";
        String nodeSide = "shopd" + id + "n";
        // 10.253.0.0/16, split into /24s per namespace: far from the usual pod and service ranges.
        String subnet = "10.253." + (id % 250) + ".";
        this.port = port;
        try {
            ip("netns", "add", namespace);
            ip("link", "add", hostSide, "type", "veth", "peer", "name", nodeSide);
            ip("link", "set", nodeSide, "netns", namespace);
            ip("addr", "add", subnet + "1/24", "dev", hostSide);
            ip("link", "set", hostSide, "up");
            inNamespace(Tools.binary("ip"), "link", "set", "lo", "up");
            inNamespace(Tools.binary("ip"), "link", "set", nodeSide, "up");
            List<String> command = new ArrayList<>(List.of(
                    Tools.binary("ip"),
                    "netns",
                    "exec",
                    namespace,
                    ProcessHandle.current().info().command().orElseThrow(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ShopBackend.class.getName(),
                    Integer.toString(port),
                    healthPath));
            for (int i = 1; i <= count; i++) {
                String ip = subnet + (i + 1);
                inNamespace(Tools.binary("ip"), "addr", "add", ip + "/24", "dev", nodeSide);
                ips.add(ip);
                command.add(prefix + "-" + i + "@" + ip);
            }
            backends = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(backends.getInputStream(), StandardCharsets.UTF_8));
            await("the pods in " + namespace + " listen")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> "ready".equals(out.readLine()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    List<String> ips() {
        return ips;
    }

    int port() {
        return port;
    }

    /** From now on, every packet to the pods is dropped inside their namespace, on new and open connections alike. */
    void dropPackets() throws IOException, InterruptedException {
        inNamespace(
                Tools.binary("iptables"), "-I", "INPUT", "-p", "tcp", "--dport", Integer.toString(port), "-j", "DROP");
    }

    private void inNamespace(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(Tools.binary("ip"), "netns", "exec", namespace));
        full.addAll(List.of(command));
        run(full);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Tools.binary("ip")));
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        if (backends != null) {
            Tools.stop(backends);
        }
        try {
            // Deleting the host's end deletes the pair at once; the kernel frees the namespace's own later.
            if (new ProcessBuilder(Tools.binary("ip"), "link", "show", hostSide)
                            .start()
                            .waitFor()
                    == 0) {
                run(List.of(Tools.binary("ip"), "link", "delete", hostSide));
            }
            run(List.of(Tools.binary("ip"), "netns", "delete", namespace));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not delete network namespace " + namespace, e);
        }
    }
}
